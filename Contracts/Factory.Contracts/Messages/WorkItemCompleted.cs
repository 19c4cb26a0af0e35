using Factory.Contracts.Records;

namespace Factory.Contracts.Messages;

/// <summary>Published by an executor once a work item has a result (passed or failed), with its evidence stored.</summary>
public sealed record WorkItemCompleted
{
    public required Guid BuildId { get; init; }
    public required WorkItem Item { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public string? Image { get; init; }
    public bool Built { get; init; }
    public IReadOnlyList<TestResult> Tests { get; init; } = [];
    public IReadOnlyList<EvidenceRef> Evidence { get; init; } = [];
    public string? LogTail { get; init; }
    public required ExecutorIdentity Executor { get; init; }
    public required StageTimings Timings { get; init; }
    /// <summary>
    /// The record signature: the DSSE envelope (JSON, the very bytes of the record_signature evidence) over the record
    /// made from this result. Carried here so the results consumer checks it against its keyring without reading the
    /// evidence store; a result without one is never recorded.
    /// </summary>
    public string? RecordSignature { get; init; }
}
