namespace Factory.Contracts.Messages;

/// <summary>
/// Published by a draining executor whose grace ran out before a build finished: the delivery went back to its queue
/// unacknowledged, for another executor. The build's lease is no longer this executor's: it waits as queued again.
/// </summary>
public sealed record WorkItemHandedBack
{
    public required Guid BuildId { get; init; }
    public required string PlanId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string Pool { get; init; }
    public required string ExecutorId { get; init; }
    public required int Attempt { get; init; }
    public required DateTimeOffset HandedBackAt { get; init; }
}
