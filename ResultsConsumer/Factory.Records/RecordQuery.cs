namespace Factory.Records;

/// <summary>Which records to list, newest first: every filter left null matches anything.</summary>
public sealed record RecordQuery(string? ManifestId = null, string? Status = null, string? PlanId = null, int Limit = 1000);
