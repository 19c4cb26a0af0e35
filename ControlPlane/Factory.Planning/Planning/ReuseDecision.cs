using Factory.Contracts.Records;

namespace Factory.Planning;

/// <summary>Reuse <see cref="Record"/>; or test <see cref="Image"/> again (TestOnly); or build.</summary>
public sealed record ReuseDecision(ReuseDecisionKind Kind, RecordSummary? Record = null, string? Image = null);
