namespace Factory.Executor.Stages;

/// <summary>The files an SBOM is made from, read out of an image, and how long reading them took.</summary>
public sealed record SbomFiles(IReadOnlyDictionary<string, byte[]> Files, TimeSpan Duration);
