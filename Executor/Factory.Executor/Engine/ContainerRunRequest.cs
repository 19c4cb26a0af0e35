namespace Factory.Executor.Engine;

public sealed record ContainerRunRequest(string Image, IReadOnlyList<string> Command, string Platform, TimeSpan Timeout, string Name, bool RequestGpu);
