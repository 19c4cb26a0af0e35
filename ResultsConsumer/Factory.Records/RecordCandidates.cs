namespace Factory.Records;

/// <summary>The distinct keys and the build ids that start with a prefix (at most a few of each).</summary>
public sealed record RecordCandidates(IReadOnlyList<string> Keys, IReadOnlyList<Guid> BuildIds);
