using System.Text;

namespace Factory.Executor.Sbom;

/// <summary>
/// os-release(5): newline-separated KEY=VALUE assignments in a subset of shell syntax. A value may be bare, or
/// enclosed in double quotes (where \" \\ \$ \` are escapes) or single quotes (taken literally); blank lines and
/// lines starting with '#' are comments. /etc/os-release wins over /usr/lib/os-release, its usual symlink target.
/// </summary>
public sealed class OsRelease
{
    public static readonly IReadOnlyList<string> Paths = ["/etc/os-release", "/usr/lib/os-release"];

    public IReadOnlyDictionary<string, string> Fields { get; }

    private OsRelease(IReadOnlyDictionary<string, string> fields) => Fields = fields;

    /// <summary>ID, e.g. "debian", "alpine"; "linux" when unset, as os-release(5) says.</summary>
    public string Id => Get("ID") ?? "linux";
    public string? VersionId => Get("VERSION_ID");
    public string? VersionCodename => Get("VERSION_CODENAME");
    public string? Name => Get("NAME");
    public string? PrettyName => Get("PRETTY_NAME");
    public IReadOnlyList<string> IdLike => Get("ID_LIKE")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
    public string? HomeUrl => Get("HOME_URL");
    public string? SupportUrl => Get("SUPPORT_URL");
    public string? BugReportUrl => Get("BUG_REPORT_URL");

    public string? Get(string key) => Fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public static OsRelease Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var equals = line.IndexOf('=');
            if (equals <= 0) continue;
            var key = line[..equals].Trim();
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) continue;
            fields[key] = Unquote(line[(equals + 1)..]);
        }
        return new OsRelease(fields);
    }

    /// <summary>The file the image has: /etc/os-release, else /usr/lib/os-release; null when it has neither.</summary>
    public static OsRelease? From(IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var path in Paths)
            if (files.TryGetValue(path, out var content))
                return Parse(Encoding.UTF8.GetString(content));
        return null;
    }

    private static string Unquote(string value)
    {
        var text = new StringBuilder();
        char? quote = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = null;
                else text.Append(c);
            }
            else if (c == '\\' && i + 1 < value.Length && (quote is null || value[i + 1] is '"' or '\\' or '$' or '`'))
            {
                text.Append(value[++i]);
            }
            else if (quote == '"')
            {
                if (c == '"') quote = null;
                else text.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                break; // an unquoted blank ends the value (a comment may follow)
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
