namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// One message in a pool's dead-letter queue. <see cref="Malformed"/> says why it is no work item this control plane
/// would replay (not JSON, an unknown message type, a wrong schema): such a message can only be purged.
/// </summary>
public sealed record DeadLetter(string MessageId, string Queue, string Pool, Guid? BuildId, string? IdempotencyKey, string? PlanId,
    string? Reason, string? ExceptionType, string? FaultedAt, string? Malformed = null, string? MessageType = null);
