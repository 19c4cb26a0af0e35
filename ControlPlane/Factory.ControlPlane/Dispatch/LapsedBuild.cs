namespace Factory.ControlPlane.Dispatch;

/// <summary>A build in flight whose lease has run out.</summary>
public sealed record LapsedBuild(string IdempotencyKey, Guid BuildId, string State, int Attempt, string Pool, DateTimeOffset LeaseExpiresAt);
