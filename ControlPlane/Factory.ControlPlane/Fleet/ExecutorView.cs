namespace Factory.ControlPlane.Fleet;

/// <summary>An executor as its last heartbeat and the builds leased to it show it: busy while it runs any build.</summary>
public sealed record ExecutorView(string ExecutorId, string Host, string State, int Busy, int Concurrency, IReadOnlyList<Guid> CurrentBuilds,
    DateTimeOffset LastHeartbeat, double SecondsSinceHeartbeat, string? MetricsUrl)
{
    public const string BusyState = "busy";
    public const string IdleState = "idle";
}
