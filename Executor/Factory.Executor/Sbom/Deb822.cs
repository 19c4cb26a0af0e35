using System.Text;

namespace Factory.Executor.Sbom;

/// <summary>Debian control-file paragraphs (deb822), as dpkg writes them.</summary>
internal static class Deb822
{
    /// <summary>Each paragraph's fields; a multi-line value keeps its continuation lines joined with '\n', each without its leading blank.</summary>
    public static IEnumerable<Dictionary<string, string>> Paragraphs(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        StringBuilder? value = null;

        void Flush()
        {
            if (current is not null && value is not null) fields[current] = value.ToString();
            current = null;
            value = null;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                Flush();
                if (fields.Count > 0) yield return fields;
                fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                // A continuation line; " ." stands for an empty line in a multi-line value.
                var rest = line[1..];
                value?.Append('\n').Append(rest == "." ? "" : rest);
                continue;
            }
            if (line[0] == '#') continue;
            Flush();
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            current = line[..colon].Trim();
            value = new StringBuilder(line[(colon + 1)..].Trim());
        }
        Flush();
        if (fields.Count > 0) yield return fields;
    }
}
