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

    public static string Last(string text, int chars) => Last(text, "", chars);

    /// <summary>
    /// The excerpt of <paramref name="first"/> then <paramref name="second"/> (a test's stdout, then its stderr), read
    /// where they lie: only the excerpt is copied, not the two joined (each may be a few MB).
    /// </summary>
    public static string Last(string first, string second, int chars)
    {
        var length = first.Length + second.Length;
        if (length <= chars) return first + second;
        var start = length - chars;
        // From a line's start when one is near, so the excerpt opens on a whole line.
        var newline = IndexOfNewline(first, second, start, Math.Min(chars / 2, length - start));
        if (newline >= 0) start = newline + 1;
        else if (char.IsLowSurrogate(start < first.Length ? first[start] : second[start - first.Length])) start++;
        var inFirst = Math.Min(start, first.Length);
        var inSecond = Math.Max(0, start - first.Length);
        var omitted = OmittedBytes(first.AsSpan(0, inFirst)) + OmittedBytes(second.AsSpan(0, inSecond));
        return string.Concat(OutputCapture.Marker(omitted), "\n", first.AsSpan(inFirst), second.AsSpan(inSecond));
    }

    /// <summary>The first '\n' among the <paramref name="count"/> characters of first-then-second from <paramref name="start"/>, or -1.</summary>
    private static int IndexOfNewline(string first, string second, int start, int count)
    {
        if (start < first.Length)
        {
            var inFirst = first.AsSpan(start, Math.Min(count, first.Length - start)).IndexOf('\n');
            if (inFirst >= 0) return start + inFirst;
            count -= first.Length - start;
            start = first.Length;
        }
        if (count <= 0) return -1;
        var inSecond = second.AsSpan(start - first.Length, count).IndexOf('\n');
        return inSecond < 0 ? -1 : start + inSecond;
    }

    /// <summary>The output's bytes that text left out stands for: its own, and those its cut markers say were cut.</summary>
    private static long OmittedBytes(ReadOnlySpan<char> left)
    {
        long omitted = Encoding.UTF8.GetByteCount(left);
        foreach (var match in CutMarker().EnumerateMatches(left))
        {
            // "[… N bytes cut …]\n": the count starts after "[… ".
            var marker = left.Slice(match.Index, match.Length);
            var count = marker[3..];
            omitted += long.Parse(count[..count.IndexOf(' ')], CultureInfo.InvariantCulture) - Encoding.UTF8.GetByteCount(marker);
        }
        return omitted;
    }
}
