using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// The passing image for a cell (<see cref="Digest"/>, <see cref="Image"/> and its <see cref="Record"/>), or why there
/// is none (<see cref="Reason"/>, one of <see cref="ResolveReason"/>'s, and <see cref="Detail"/> for a person, with the
/// record it is about when there is one).
/// </summary>
public sealed record ResolveAnswer(bool Passed, string? Reason, string Detail, RecordFacts? Record, string? Image, string? Digest, bool Flaky = false);
