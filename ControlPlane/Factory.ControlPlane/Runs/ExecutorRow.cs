namespace Factory.ControlPlane.Runs;

/// <summary>An executor as its last heartbeat described it.</summary>
public sealed record ExecutorRow(string ExecutorId, string Pool, string Host, int Concurrency, int Busy, DateTimeOffset LastSeen);
