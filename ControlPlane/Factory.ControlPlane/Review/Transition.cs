namespace Factory.ControlPlane.Review;

/// <summary>
/// Where a cell's result flipped: the record that first failed (or was first fixed), the record just before it, and
/// the inputs that changed between the two. No changed input means the same inputs gave another result: a flake.
/// </summary>
public sealed record Transition(Guid BuildId, DateTimeOffset RecordedAt, Guid? PreviousBuildId, IReadOnlyList<InputChange> Changes, string Explanation);
