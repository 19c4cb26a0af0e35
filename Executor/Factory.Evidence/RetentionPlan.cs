namespace Factory.Evidence;

public sealed record RetentionPlan(IReadOnlyList<RetentionCandidate> Remove, int Kept, IReadOnlySet<string> RetainedUris);
