using System.Globalization;

namespace Factory.Web.Html;

/// <summary>Small pieces every page shows the same way: a status badge, a time, a short digest, a duration.</summary>
public static class Show
{
    public static RawHtml Badge(string status, string? label = null) =>
        new HtmlBuilder(64).Add($"<span class=\"badge s-{status}\">{label ?? status.Replace('_', ' ')}</span>").ToHtml();

    public static RawHtml Time(DateTimeOffset? time)
    {
        if (time is not { } t) return new RawHtml("");
        var utc = t.ToUniversalTime();
        return new HtmlBuilder(96).Add($"<time datetime=\"{utc.ToString("O", CultureInfo.InvariantCulture)}\">{utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z</time>").ToHtml();
    }

    /// <summary>The first 12 hex digits of a digest or key, with the whole of it as the tooltip.</summary>
    public static RawHtml Short(string? digest)
    {
        if (string.IsNullOrEmpty(digest)) return new RawHtml("");
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        var shown = hex.Length > 12 ? hex[..12] : hex;
        return new HtmlBuilder(160).Add($"<code title=\"{digest}\">{shown}</code>").ToHtml();
    }

    public static string Duration(long milliseconds) =>
        milliseconds < 1000 ? $"{milliseconds} ms" : (milliseconds / 1000.0).ToString(milliseconds < 60_000 ? "0.0 s" : "0 s", CultureInfo.InvariantCulture);

    public static string Bytes(long size) => size switch
    {
        < 1024 => $"{size} B",
        < 1024 * 1024 => (size / 1024.0).ToString("0.0 'KB'", CultureInfo.InvariantCulture),
        _ => (size / (1024.0 * 1024)).ToString("0.0 'MB'", CultureInfo.InvariantCulture),
    };

    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
