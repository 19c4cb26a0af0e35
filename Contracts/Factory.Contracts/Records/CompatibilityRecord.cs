using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public static class RecordStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    /// <summary>The item's deadline passed before an executor picked it up: nothing was built.</summary>
    public const string Expired = "expired";
}

/// <summary>Why a combination failed; infrastructure errors are never a reason: they are retried.</summary>
public static class FailureReason
{
    public const string BuildFailed = "build_failed";
    public const string TestFailed = "test_failed";
    public const string SizeLimitExceeded = "size_limit_exceeded";
    public const string DeadlinePassed = "deadline_passed";
}

public static class EvidenceKind
{
    public const string BuildLog = "build_log";
    public const string TestLog = "test_log";
    public const string Dockerfile = "dockerfile";
    public const string Error = "error";
    public const string Sbom = "sbom";
    public const string Provenance = "provenance";
    public const string RecordSignature = "record_signature";
}

public sealed record EvidenceRef(string Kind, string Uri, string Sha256, long Size, string? Name = null);

public sealed record TestResult
{
    public required string Name { get; init; }
    /// <summary>passed | failed | skipped</summary>
    public required string Status { get; init; }
    public int? ExitCode { get; init; }
    public bool TimedOut { get; init; }
    public long DurationMs { get; init; }
    public string? Reason { get; init; }
    public string? OutputTail { get; init; }
}

public sealed record ExecutorIdentity(string Pool, string Host);

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
}
