namespace Factory.Contracts.Manifests;

public sealed record TestExpectation
{
    public int ExitCode { get; init; }
    /// <summary>A substring of stdout, or a regular expression between slashes.</summary>
    public string? Stdout { get; init; }

    /// <summary>The regular expression an expected stdout holds ("/.../"), or null when it is a plain substring.</summary>
    public static string? RegexOf(string expectedStdout) =>
        expectedStdout is { Length: > 1 } && expectedStdout[0] == '/' && expectedStdout[^1] == '/' ? expectedStdout[1..^1] : null;
}
