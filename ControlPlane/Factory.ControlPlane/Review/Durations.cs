using System.Globalization;
using Factory.Manifests;

namespace Factory.ControlPlane.Review;

/// <summary>Review windows are days long more often than not: "14d" as well as the manifests' 30s, 2m, 2h.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('d') && int.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 36500)
        {
            value = TimeSpan.FromDays(days);
            return true;
        }
        return DurationParser.TryParse(trimmed, out value);
    }

    public static string Format(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(long)value.TotalDays}d" : DurationParser.Format(value);
}
