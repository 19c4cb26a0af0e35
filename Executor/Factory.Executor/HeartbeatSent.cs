namespace Factory.Executor;

/// <summary>The last heartbeat an executor sent: when, and whether it said busy.</summary>
public sealed record HeartbeatSent(DateTimeOffset At, bool Busy);
