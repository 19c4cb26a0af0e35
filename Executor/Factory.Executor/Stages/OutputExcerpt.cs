using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// The end of a test's kept output, for the record's log tail: the verdict or the error is there. When anything before
/// it is left out, a marker line first says how many bytes of the output are not shown, those cut at capture included.
/// </summary>
public static partial class OutputExcerpt
{
    [GeneratedRegex(@"^\[… (\d+) bytes cut …\]\n", RegexOptions.Multiline)]
    private static partial Regex CutMarker();

    public static string Last(string text, int chars)
    {
        if (text.Length <= chars) return text;
        var start = text.Length - chars;
        // From a line's start when one is near, so the excerpt opens on a whole line.
        var newline = text.IndexOf('\n', start, Math.Min(chars / 2, text.Length - start));
        if (newline >= 0) start = newline + 1;
        else if (char.IsLowSurrogate(text[start])) start++;
        var left = text[..start];
        long omitted = Encoding.UTF8.GetByteCount(left);
        foreach (Match marker in CutMarker().Matches(left))
            omitted += long.Parse(marker.Groups[1].Value, CultureInfo.InvariantCulture) - Encoding.UTF8.GetByteCount(marker.Value);
        return OutputCapture.Marker(omitted) + "\n" + text[start..];
    }
}
