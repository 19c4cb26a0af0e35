namespace Factory.Contracts.Messages;

/// <summary>An executor picked a work item up (for progress, leases and dispatch latency); travels in a <see cref="WorkItemStartedGroup"/>.</summary>
public sealed record WorkItemStarted
{
    public required Guid BuildId { get; init; }
    public required string PlanId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string Pool { get; init; }
    public required string ExecutorId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>The attempt of the build that started (ExecuteWorkItem.Attempt).</summary>
    public int Attempt { get; init; } = 1;
}
