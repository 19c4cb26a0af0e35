using System.Text;

namespace Factory.Executor.Sbom;

/// <summary>
/// Package URLs (purl) in canonical form: pkg:type/namespace/name@version?qualifiers. Each part is UTF-8
/// percent-encoded except letters, digits, ".-_~" and ':' (the spec forbids encoding ':'), so a Debian version
/// "1:2.4.47-2+b1" becomes "1:2.4.47-2%2Bb1"; qualifiers are sorted by key, empty values dropped, and a
/// qualifier value keeps its '/' (repository_url=127.0.0.1:5000/factory/x), as the spec's examples do.
/// </summary>
public static class PackageUrl
{
    public static string Create(string type, string? @namespace, string name, string? version, IReadOnlyDictionary<string, string?>? qualifiers = null)
    {
        var purl = new StringBuilder("pkg:").Append(type.ToLowerInvariant()).Append('/');
        if (!string.IsNullOrEmpty(@namespace))
            foreach (var segment in @namespace.Split('/', StringSplitOptions.RemoveEmptyEntries))
                purl.Append(Encode(segment, keepSlash: false)).Append('/');
        purl.Append(Encode(name, keepSlash: false));
        if (!string.IsNullOrEmpty(version)) purl.Append('@').Append(Encode(version, keepSlash: false));
        var pairs = (qualifiers ?? new Dictionary<string, string?>())
            .Where(q => !string.IsNullOrEmpty(q.Value))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => q.Key.ToLowerInvariant() + "=" + Encode(q.Value!, keepSlash: true))
            .ToList();
        if (pairs.Count > 0) purl.Append('?').Append(string.Join('&', pairs));
        return purl.ToString();
    }

    public static string Encode(string value, bool keepSlash)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '~' or ':' || (keepSlash && c == '/')) text.Append(c);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
