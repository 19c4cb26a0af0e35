namespace Factory.ControlPlane.DeadLetters;

/// <summary>What a replay did: the messages sent back to their work queue, and the named ones refused because they are malformed (nothing is replayed then).</summary>
public sealed record DeadLetterReplay(IReadOnlyList<DeadLetter> Replayed, IReadOnlyList<DeadLetter> Refused);
