using Factory.ControlPlane.Review;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>A record's SBOM in short: components by type, and the OS packages (deb, apk) with their versions.</summary>
public static class SbomSection
{
    private const int ShownPackages = 300;

    public static HtmlBuilder Render(Guid buildId, SbomSummary sbom)
    {
        var html = new HtmlBuilder(8192).Add($"<p id=\"sbom-summary\">{sbom.Components.Count} components: ");
        html.Add($"{string.Join(", ", sbom.ByType.Select(t => $"{t.Value} {t.Key}"))}</p>");
        html.Add($"<form method=\"get\" action=\"/records/{buildId}/diff\">compare the SBOM with another record: <input name=\"with\" placeholder=\"build id or key (8+ characters)\" size=\"40\"> <button type=\"submit\">Diff</button></form>");
        var packages = sbom.Components.Where(IsOsPackage).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (packages.Count == 0) return html.Add($"<p class=\"note\">No OS packages.</p>");
        html.Add($"<table class=\"packages\"><thead><tr><th>OS package</th><th>version</th><th>purl</th></tr></thead><tbody>");
        foreach (var p in packages.Take(ShownPackages)) html.Add($"<tr><td>{p.Name}</td><td>{p.Version}</td><td><code>{p.Purl}</code></td></tr>");
        html.Add($"</tbody></table>");
        if (packages.Count > ShownPackages) html.Add($"<p class=\"note\">{packages.Count - ShownPackages} more packages are in the SBOM itself (evidence list).</p>");
        return html;
    }

    public static bool IsOsPackage(SbomComponent c) =>
        c.Purl is { } purl && (purl.StartsWith("pkg:deb/", StringComparison.Ordinal) || purl.StartsWith("pkg:apk/", StringComparison.Ordinal) || purl.StartsWith("pkg:rpm/", StringComparison.Ordinal));
}
