using System.Globalization;
using System.Text.RegularExpressions;

namespace Factory.Manifests;

/// <summary>Durations as written in manifests: 30s, 2m, 2h, 1h30m.</summary>
public static partial class DurationParser
{
    [GeneratedRegex(@"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0) return false;
        long Part(int i) => match.Groups[i].Success ? long.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        value = TimeSpan.FromHours(Part(1)) + TimeSpan.FromMinutes(Part(2)) + TimeSpan.FromSeconds(Part(3));
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
