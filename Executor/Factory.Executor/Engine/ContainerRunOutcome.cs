namespace Factory.Executor.Engine;

/// <summary>How a command ran. ContainerGone: it never ran, because the container it was to run in is not running.</summary>
public sealed record ContainerRunOutcome(int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Duration, bool ContainerGone = false);
