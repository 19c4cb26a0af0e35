using Factory.Contracts.Records;

namespace Factory.Contracts.Messages;

/// <summary>A record is durable; travels in a <see cref="CompatibilityRecordedGroup"/>.</summary>
public sealed record CompatibilityRecorded
{
    public required Guid BuildId { get; init; }
    public required string PlanId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string Status { get; init; }
    /// <summary>The pool that ran the build (for throughput per pool); null from results consumers older than this field.</summary>
    public string? Pool { get; init; }
}
