namespace Factory.Records;

/// <summary>
/// What a KEY|BUILD_ID argument names: a whole build id or key, or any unique prefix of 8 or more characters of one.
/// A key stands for its newest record.
/// </summary>
public sealed record RecordLookup(RecordLookupOutcome Outcome, string Input, string? Key = null, Guid? BuildId = null, IReadOnlyList<string>? Candidates = null)
{
    /// <summary>How many candidates an ambiguous prefix lists (one more is fetched, to say "and more").</summary>
    public const int CandidateLimit = 10;

    public static RecordLookup TooShort(string input) => new(RecordLookupOutcome.TooShort, input);

    public static RecordLookup From(string input, RecordCandidates candidates)
    {
        var all = candidates.Keys.Select(k => "key " + k).Concat(candidates.BuildIds.Select(b => "build " + b)).ToList();
        return all.Count switch
        {
            0 => new RecordLookup(RecordLookupOutcome.NotFound, input),
            1 when candidates.Keys.Count == 1 => new RecordLookup(RecordLookupOutcome.Found, input, Key: candidates.Keys[0]),
            1 => new RecordLookup(RecordLookupOutcome.Found, input, BuildId: candidates.BuildIds[0]),
            _ => new RecordLookup(RecordLookupOutcome.Ambiguous, input, Candidates: all),
        };
    }

    /// <summary>Why nothing was found, for a person: names the argument and what is expected.</summary>
    public string Message => Outcome switch
    {
        RecordLookupOutcome.TooShort =>
            $"'{Input}' is too short: give a build id or an idempotency key, or at least {RecordPrefix.MinimumLength} characters of one",
        RecordLookupOutcome.NotFound => $"no record with build id or idempotency key '{Input}' (or starting with it)",
        RecordLookupOutcome.Ambiguous =>
            $"'{Input}' is ambiguous: it starts {string.Join(", ", Candidates!.Take(CandidateLimit))}{(Candidates!.Count > CandidateLimit ? " and more" : "")}; give more characters",
        _ => $"'{Input}' names {(Key is not null ? "key " + Key : "build " + BuildId)}",
    };
}
