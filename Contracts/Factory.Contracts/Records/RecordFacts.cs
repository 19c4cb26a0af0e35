using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

/// <summary>
/// What reviewing needs of a record (matrix, history, compare, resolve, why built): its inputs and outcome, without
/// tests, evidence and logs, so that thousands of them read quickly.
/// </summary>
public sealed record RecordFacts
{
    public required Guid BuildId { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string PlanId { get; init; }
    public required string ManifestId { get; init; }
    public required string Platform { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public required string TestSuiteHash { get; init; }
    public string? Image { get; init; }
    public required string TemplateVersion { get; init; }
    public required string BaseDigest { get; init; }
    public required IReadOnlyList<ModuleSelection> Modules { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }

    public static RecordFacts Of(CompatibilityRecord record) => new()
    {
        BuildId = record.BuildId,
        IdempotencyKey = record.IdempotencyKey,
        PlanId = record.PlanId,
        ManifestId = record.ManifestId,
        Platform = record.Platform,
        Status = record.Status,
        Reason = record.Reason,
        TestSuiteHash = record.TestSuiteHash,
        Image = record.Image,
        TemplateVersion = record.TemplateVersion,
        BaseDigest = record.BaseDigest,
        Modules = record.Modules,
        RecordedAt = record.RecordedAt,
    };
}
