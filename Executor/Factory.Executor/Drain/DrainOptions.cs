namespace Factory.Executor.Drain;

/// <summary>
/// What SIGTERM gives the builds in progress (Executor:Drain). The executor stops taking deliveries at once; each build
/// in progress has <see cref="GraceSeconds"/> to finish, then <see cref="HandBackSeconds"/> to be handed back (cancelled,
/// its containers removed, its delivery returned to the queue for another executor). The process has exited within
/// <see cref="ShutdownTimeout"/>: an orchestrator's own grace (compose stop_grace_period, Kubernetes
/// terminationGracePeriodSeconds) shorter than that kills builds before they are handed back.
/// </summary>
public sealed class DrainOptions
{
    // Past a day a number is a typo, and TimeSpan arithmetic stays far from overflow.
    private const int MaxSeconds = 24 * 60 * 60;

    /// <summary>The rest of the host (heartbeats, logs) stops after the bus: a moment for it.</summary>
    private static readonly TimeSpan HostMargin = TimeSpan.FromSeconds(5);

    public int GraceSeconds { get; set; } = 60;
    public int HandBackSeconds { get; set; } = 15;

    public TimeSpan Grace => TimeSpan.FromSeconds(GraceSeconds);

    /// <summary>How long the bus may take to stop: the grace, then the hand-back.</summary>
    public TimeSpan BusStopTimeout => Grace + TimeSpan.FromSeconds(HandBackSeconds);

    /// <summary>The host's ShutdownTimeout, and the least an orchestrator should wait after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout => BusStopTimeout + HostMargin;

    /// <summary>Why these settings cannot work, naming the setting; null when they can.</summary>
    public string? Validate() =>
        Check(nameof(GraceSeconds), GraceSeconds, "how long builds in progress may take to finish after SIGTERM")
        ?? Check(nameof(HandBackSeconds), HandBackSeconds, "how long handing back an unfinished build may take");

    private static string? Check(string name, int value, string meaning) =>
        value is > 0 and <= MaxSeconds ? null
            : $"Executor:Drain:{name} is {value}: expected a whole number of seconds from 1 to {MaxSeconds} ({meaning})";
}
