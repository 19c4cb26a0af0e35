namespace Factory.Executor.Engine;

/// <summary>A command to run in a container of its own. Output: where its whole output also streams (a test's), if anywhere.</summary>
public sealed record ContainerRunRequest(string Image, IReadOnlyList<string> Command, string Platform, TimeSpan Timeout, string Name, bool RequestGpu)
{
    public TestOutputSpools? Output { get; init; }
}
