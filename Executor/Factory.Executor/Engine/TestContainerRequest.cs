namespace Factory.Executor.Engine;

/// <summary>A container to run tests in: alive for at most KeepAlive (so one left behind by a dead executor goes away by itself).</summary>
public sealed record TestContainerRequest(string Image, string Platform, string Name, TimeSpan KeepAlive, bool RequestGpu);
