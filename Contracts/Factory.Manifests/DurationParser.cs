using System.Globalization;
using System.Text.RegularExpressions;

namespace Factory.Manifests;

/// <summary>Durations as written in manifests: 30s, 2m, 2h, 1h30m.</summary>
public static partial class DurationParser
{
    // [0-9], not \d: \d also matches non-ASCII digits, which long.Parse then rejects with an exception.
    [GeneratedRegex(@"^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0) return false;
        long Part(int i) => match.Groups[i].Success ? long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            value = TimeSpan.FromHours(Part(1)) + TimeSpan.FromMinutes(Part(2)) + TimeSpan.FromSeconds(Part(3));
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            value = default;
            return false; // too large to be a duration: invalid input, not a crash
        }
        return value > TimeSpan.Zero;
    }

    public static string Format(TimeSpan value)
    {
        var s = (long)value.TotalSeconds;
        if (s % 3600 == 0) return $"{s / 3600}h";
        if (s % 60 == 0) return $"{s / 60}m";
        return $"{s}s";
    }
}
