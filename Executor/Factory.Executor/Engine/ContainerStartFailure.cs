namespace Factory.Executor.Engine;

/// <summary>
/// What the engine's refusal to start a container means, as `docker run` reports it: the command is not in the image
/// (127) or cannot be executed (126), both about the image and so a test's result; anything else is the engine's
/// failure (125). Only the runtime's message says which.
/// </summary>
public static class ContainerStartFailure
{
    public const int NotFound = 127;
    public const int NotExecutable = 126;
    public const int EngineFailed = 125;

    public static int ExitCode(string reason) =>
        reason.Contains("executable file not found", StringComparison.Ordinal) || reason.Contains("no such file or directory", StringComparison.Ordinal)
            ? NotFound
            : reason.Contains("permission denied", StringComparison.Ordinal) ? NotExecutable : EngineFailed;
}
