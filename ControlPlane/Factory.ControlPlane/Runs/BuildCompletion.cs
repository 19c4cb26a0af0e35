namespace Factory.ControlPlane.Runs;

/// <summary>A build ended: with its record's status (passed, failed, expired), or dead-lettered with an error.</summary>
public sealed record BuildCompletion(Guid BuildId, string IdempotencyKey, string State, string? ErrorJson = null);
