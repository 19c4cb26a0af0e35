using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

/// <summary>
/// Where a work item's time went. The *_ms fields sum each stage; <see cref="Stages"/> has one span per stage run, in
/// order, with its start, so overlapping work (two builds at once, evidence written while tests run) can be seen.
/// </summary>
public sealed record StageTimings
{
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public long RenderMs { get; init; }
    public long BuildMs { get; init; }
    public long PushMs { get; init; }
    public long TestMs { get; init; }
    public long SbomMs { get; init; }
    public long ProvenanceMs { get; init; }
    public long EvidenceMs { get; init; }
    /// <summary>Set by the results consumer when it stores the record (not covered by the record signature).</summary>
    public long RecordMs { get; init; }
    public IReadOnlyList<StageSpan> Stages { get; init; } = [];
}
