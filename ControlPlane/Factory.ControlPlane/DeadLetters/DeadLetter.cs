namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// One message in a dead-letter queue: a pool's (wq-&lt;pool&gt;_error, a work item, <see cref="Pool"/> set) or the
/// results queue's (results_error, an executor's result, no pool). <see cref="Malformed"/> says why it is nothing this
/// control plane would replay (not JSON, an unknown message type, a wrong schema): such a message can only be purged.
/// <see cref="ReplayRefused"/> says why replay refuses it (malformed, or an untrusted result), null when it may be replayed.
/// </summary>
public sealed record DeadLetter(string MessageId, string Queue, string? Pool, Guid? BuildId, string? IdempotencyKey, string? PlanId,
    string? Reason, string? ExceptionType, string? FaultedAt, string? Malformed = null, string? MessageType = null,
    string Kind = DeadLetterKind.WorkItem, string? ReplayRefused = null);
