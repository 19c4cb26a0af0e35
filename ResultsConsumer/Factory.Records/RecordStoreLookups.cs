using Factory.Contracts.Records;

namespace Factory.Records;

public static class RecordStoreLookups
{
    /// <summary>Resolves a KEY|BUILD_ID argument (whole, or a unique prefix of 8 or more characters) in one index query.</summary>
    public static async Task<RecordLookup> LookupAsync(this ICompatibilityRecordStore store, string input, CancellationToken ct)
    {
        if (Guid.TryParseExact(input.Trim(), "D", out var buildId)) return new RecordLookup(RecordLookupOutcome.Found, input, BuildId: buildId);
        if (RecordPrefix.Of(input) is not { } prefix) return RecordLookup.TooShort(input);
        return RecordLookup.From(input, await store.FindByPrefixAsync(prefix, RecordLookup.CandidateLimit + 1, ct));
    }

    /// <summary>The record a found lookup names (a key's newest), or null.</summary>
    public static async Task<CompatibilityRecord?> GetAsync(this ICompatibilityRecordStore store, RecordLookup lookup, CancellationToken ct) =>
        lookup switch
        {
            { Outcome: not RecordLookupOutcome.Found } => null,
            { BuildId: { } id } => await store.GetAsync(id, ct),
            { Key: { } key } => (await store.FindByKeyAsync(key, ct)).FirstOrDefault(),
            _ => null,
        };
}
