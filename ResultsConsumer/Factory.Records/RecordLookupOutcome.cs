namespace Factory.Records;

public enum RecordLookupOutcome
{
    Found,
    /// <summary>Fewer than <see cref="RecordPrefix.MinimumLength"/> characters: refused, it would match too much.</summary>
    TooShort,
    NotFound,
    /// <summary>More than one key or build starts with it: refused, with the candidates.</summary>
    Ambiguous,
}
