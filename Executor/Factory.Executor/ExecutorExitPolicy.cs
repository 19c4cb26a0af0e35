namespace Factory.Executor;

/// <summary>
/// When a short-lived executor (a Kubernetes Job's, started by KEDA for an item on its queue) exits: once it has handled
/// <see cref="ExitAfterItems"/> work items, or once nothing ran or arrived for <see cref="ExitWhenIdle"/>, and never while an
/// item runs. Zero means never for either, the default: a long-running executor.
/// </summary>
public sealed record ExecutorExitPolicy(int ExitAfterItems, TimeSpan ExitWhenIdle)
{
    public static ExecutorExitPolicy From(ExecutorOptions options) =>
        new(options.ExitAfterItems, TimeSpan.FromSeconds(options.ExitWhenIdleSeconds));

    public bool Enabled => ExitAfterItems > 0 || ExitWhenIdle > TimeSpan.Zero;

    /// <summary>Whether a new delivery goes back to its queue: the items this executor handled or runs use up its limit.</summary>
    public bool Refuses(int handled, int running) => ExitAfterItems > 0 && handled + running >= ExitAfterItems;

    /// <summary>Why the executor should stop now, or null to go on.</summary>
    public string? ExitReason(int handled, int running, TimeSpan idle)
    {
        if (running > 0) return null;
        if (ExitAfterItems > 0 && handled >= ExitAfterItems)
            return $"handled {handled} work item{(handled == 1 ? "" : "s")} (Executor:ExitAfterItems={ExitAfterItems})";
        if (ExitWhenIdle > TimeSpan.Zero && idle >= ExitWhenIdle)
            return $"no work item for {ExitWhenIdle.TotalSeconds:0} s (Executor:ExitWhenIdleSeconds={ExitWhenIdle.TotalSeconds:0})";
        return null;
    }
}
