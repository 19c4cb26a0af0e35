namespace Factory.Records;

/// <summary>
/// Which records to list, newest first: every filter left null matches anything. <see cref="Since"/> is inclusive,
/// <see cref="Until"/> exclusive (the matrix as it stood at a time).
/// </summary>
public sealed record RecordQuery(string? ManifestId = null, string? Status = null, string? PlanId = null, int Limit = 1000,
    string? Platform = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);
