using Factory.Contracts.Failures;

namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// Whether a dead letter may go back to its queue, from what it says (its body, read without trusting it) and the
/// fault its consumer recorded. A malformed message never: its consumer would refuse it again. A result only when
/// the results consumer gave up on it after a failure of its own (the record store was away, say): a result refused
/// as untrusted, one without a record signature, or one with no fault recorded (it was not dead-lettered by the
/// consumer at all) is never replayed into results as if it were fine. A replayed result is checked against the
/// keyring again, so headers forged to look like an infrastructure failure still make no record.
/// </summary>
public static class DeadLetterReplayPolicy
{
    private static readonly string Untrusted = typeof(UntrustedResultException).FullName!;

    /// <summary>A result the results consumer refused because its record signature did not verify against the keyring.</summary>
    public static bool IsUntrusted(string kind, string? exceptionType) => kind == DeadLetterKind.Result && exceptionType == Untrusted;

    /// <summary>Why replay is refused, or null when it may be replayed.</summary>
    public static string? Refusal(string kind, DeadLetterBody body, string? exceptionType)
    {
        if (body.Malformed is { } malformed) return $"malformed ({malformed})";
        if (kind != DeadLetterKind.Result) return null;
        if (IsUntrusted(kind, exceptionType))
            return "an untrusted result: its record signature did not verify against the keyring, and replaying it cannot change that";
        if (!body.Signed) return "an unsigned result: it carries no record signature, so it can never be recorded";
        if (string.IsNullOrEmpty(exceptionType))
            return "no fault recorded: the results consumer did not dead-letter it after a failure, so a replay would fix nothing";
        return null;
    }
}
