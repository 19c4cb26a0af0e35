namespace Factory.ControlPlane.DeadLetters;

/// <summary>What a replay did: the messages sent back to their queue, and the named ones replay refused (nothing is replayed then).</summary>
public sealed record DeadLetterReplay(IReadOnlyList<DeadLetter> Replayed, IReadOnlyList<DeadLetter> Refused)
{
    /// <summary>Why each refused message cannot be replayed, and what to do instead, for a 400.</summary>
    public string Refusals(string separator = "; ") => string.Join(separator, Refused.Select(m => m.Malformed is not null
        ? $"{m.MessageId} is malformed ({m.Malformed}) and cannot be replayed; purge it with `factory dlq purge {m.MessageId}`"
        : $"{m.MessageId} cannot be replayed: {m.ReplayRefused}; purge it with `factory dlq purge {m.MessageId}`"));
}
