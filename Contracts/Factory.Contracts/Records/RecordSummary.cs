namespace Factory.Contracts.Records;

/// <summary>
/// What reuse decisions need of a record, without its tests, evidence and logs: the record stores answer it for a
/// whole plan's keys in one query.
/// </summary>
public sealed record RecordSummary(Guid BuildId, string IdempotencyKey, string Status, string? Reason, string TestSuiteHash, string? Image,
    DateTimeOffset RecordedAt, string? SignedBy = null)
{
    public static RecordSummary Of(CompatibilityRecord record) =>
        new(record.BuildId, record.IdempotencyKey, record.Status, record.Reason, record.TestSuiteHash, record.Image, record.RecordedAt, record.SignedBy);
}
