namespace Factory.Executor.Engine;

/// <summary>How much of a stream of output is kept: its first HeadBytes and its last TailBytes; the middle is cut.</summary>
public sealed record OutputLimits(int HeadBytes, int TailBytes)
{
    /// <summary>1 MiB from each end: the command and its setup at the start, the error or the verdict at the end.</summary>
    public static readonly OutputLimits Default = new(1024 * 1024, 1024 * 1024);

    /// <summary>For the tools the fleet and its tests run (docker, kubectl, the CLI with --json): their output is parsed whole, so more of it is kept.</summary>
    public static readonly OutputLimits Tools = new(8 * 1024 * 1024, 8 * 1024 * 1024);
}
