using Factory.Contracts.Records;

namespace Factory.Contracts.Messages;

/// <summary>
/// Published by an executor when it gives a work item up (retries exhausted, or a message it cannot handle);
/// the message itself goes to the pool's dead-letter queue, from where an operator can replay it.
/// </summary>
public sealed record WorkItemDeadLettered
{
    public required Guid BuildId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string PlanId { get; init; }
    public required string Pool { get; init; }
    /// <summary>infrastructure | unsupported_message | internal_error</summary>
    public required string Classification { get; init; }
    public required int Attempts { get; init; }
    public required string Error { get; init; }
    public EvidenceRef? ErrorFile { get; init; }
}
