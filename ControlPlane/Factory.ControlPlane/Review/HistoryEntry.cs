namespace Factory.ControlPlane.Review;

/// <summary>One record of a cell's history; Rerun when an earlier record had the same key and test suite.</summary>
public sealed record HistoryEntry(Guid BuildId, string IdempotencyKey, string PlanId, string Status, string? Reason, string TestSuiteHash,
    string BaseDigest, string TemplateVersion, string? Image, DateTimeOffset RecordedAt, bool Rerun);
