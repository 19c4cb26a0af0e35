using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

/// <summary>The durable compatibility record of one build of one combination (JSON record file + index row).</summary>
public sealed record CompatibilityRecord
{
    public required Guid BuildId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string PlanId { get; init; }
    public required string ManifestId { get; init; }
    public required string TemplateId { get; init; }
    public required string TemplateVersion { get; init; }
    public required IReadOnlyList<ModuleSelection> Modules { get; init; }
    public required string BaseDigest { get; init; }
    public required string Platform { get; init; }
    public string? Accelerator { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<TestResult> Tests { get; init; } = [];
    public string? Image { get; init; }
    public required string TestSuiteId { get; init; }
    public required string TestSuiteHash { get; init; }
    public required ExecutorIdentity Executor { get; init; }
    public required StageTimings Timings { get; init; }
    public IReadOnlyList<EvidenceRef> Evidence { get; init; } = [];
    public string? LogTail { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    /// <summary>
    /// The id of the trusted key whose record signature the results consumer checked before storing this record. Null
    /// for a record nobody vouched for: made by the control plane (expired before dispatch) or stored before results
    /// were checked. Such a record is never reused. Left out of the JSON when null, so older signed records stay
    /// byte-identical to what was signed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? SignedBy { get; init; }
}
