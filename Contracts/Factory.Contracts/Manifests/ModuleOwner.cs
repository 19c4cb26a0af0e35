namespace Factory.Contracts.Manifests;

public sealed record ModuleOwner(string Handle, string Team);
