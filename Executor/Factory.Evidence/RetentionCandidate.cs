namespace Factory.Evidence;

public sealed record RetentionCandidate(EvidenceObject Object, string Reason);
