using System.Globalization;
using System.Text.RegularExpressions;

namespace Factory.Executor.Engine;

/// <summary>A memory limit written as `docker run --memory` takes it ("512m", "1g", "1.5GiB", "1048576"): binary units, in bytes.</summary>
public static partial class MemorySize
{
    private const string Units = "kmgtp";

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (text is null || Size().Match(text.Trim()) is not { Success: true } match) return false;
        if (!decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        var multiplier = unit.Length == 0 ? 1m : (decimal)Math.Pow(1024, Units.IndexOf(unit[0], StringComparison.Ordinal) + 1);
        var value = number * multiplier;
        if (value < 1 || value > long.MaxValue) return false;
        bytes = (long)value;
        return true;
    }

    [GeneratedRegex(@"^(?<number>\d+(\.\d+)?) ?(?<unit>[kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex Size();
}
