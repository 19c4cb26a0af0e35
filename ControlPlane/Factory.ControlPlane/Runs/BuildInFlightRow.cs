namespace Factory.ControlPlane.Runs;

/// <summary>A build in flight with its lease, as operators see it.</summary>
public sealed record BuildInFlightRow(string IdempotencyKey, Guid BuildId, string Pool, string State, int Attempt, string? ExecutorId,
    DateTimeOffset DispatchedAt, DateTimeOffset LeaseExpiresAt);
