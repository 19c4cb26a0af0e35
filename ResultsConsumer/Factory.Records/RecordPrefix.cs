namespace Factory.Records;

/// <summary>
/// A KEY|BUILD_ID argument as a prefix, turned into ranges an ordinary index answers: keys are lower-case hex, so
/// every key starting with the prefix lies in [prefix, prefix + "g"); a build id's text starting with the prefix lies
/// between the prefix padded with 0s and with fs, which holds for the uuid column as for its text.
/// </summary>
public sealed record RecordPrefix
{
    public const int MinimumLength = 8;
    private static readonly int[] Dashes = [8, 13, 18, 23];

    private RecordPrefix(string text, Guid? lowestBuild, Guid? highestBuild) =>
        (Text, LowestBuildId, HighestBuildId) = (text, lowestBuild, highestBuild);

    public string Text { get; }
    /// <summary>Exclusive upper bound of the keys starting with <see cref="Text"/>.</summary>
    public string KeyUpperBound => Text + "g";
    /// <summary>Null when the text cannot start a build id.</summary>
    public Guid? LowestBuildId { get; }
    public Guid? HighestBuildId { get; }

    /// <summary>The prefix, or null when it is shorter than <see cref="MinimumLength"/>.</summary>
    public static RecordPrefix? Of(string input)
    {
        var text = input.Trim().ToLowerInvariant();
        if (text.Length < MinimumLength) return null;
        return StartsBuildId(text) ? new RecordPrefix(text, Pad(text, '0'), Pad(text, 'f')) : new RecordPrefix(text, null, null);
    }

    private static bool StartsBuildId(string text)
    {
        if (text.Length > 36) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var dash = Array.IndexOf(Dashes, i) >= 0;
            if (dash ? text[i] != '-' : !char.IsAsciiHexDigitLower(text[i]) && !char.IsAsciiDigit(text[i])) return false;
        }
        return true;
    }

    private static Guid Pad(string text, char digit) => Guid.Parse(text.Replace("-", "").PadRight(32, digit));
}
