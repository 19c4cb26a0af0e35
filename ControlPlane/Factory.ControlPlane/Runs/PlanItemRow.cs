using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>One item of a submitted plan and where it is (see Dispatch.ItemState).</summary>
public sealed record PlanItemRow
{
    public required Guid RunId { get; init; }
    public required int Seq { get; init; }
    public required WorkItem Item { get; init; }
    public required string State { get; init; }
    public string? DispatchKind { get; init; }
    public Guid? BuildId { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public string? ExecutorId { get; init; }
    /// <summary>The latest attempt of its build that an executor started (above 1: sent again after its lease lapsed).</summary>
    public int? Attempt { get; init; }
}
