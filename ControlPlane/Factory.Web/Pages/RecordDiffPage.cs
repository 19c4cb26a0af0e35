using Factory.ControlPlane.Review;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>Two records side by side: the inputs that changed, the tests whose status changed, the SBOM's added, removed and changed components.</summary>
public static class RecordDiffPage
{
    public static RawHtml Render(RecordDiff diff)
    {
        var html = new HtmlBuilder();
        html.Add($"<h1>Diff</h1><p class=\"sub\"><a href=\"{Links.Record(diff.Before)}\">build {diff.Before}</a> {Show.Badge(diff.BeforeStatus)} → <a href=\"{Links.Record(diff.After)}\">build {diff.After}</a> {Show.Badge(diff.AfterStatus)}</p>");
        html.Add($"<h2>Inputs</h2>");
        if (diff.Inputs.Count == 0) html.Add($"<p class=\"note\">The same inputs.</p>");
        else
        {
            html.Add($"<ul class=\"inputs\">");
            foreach (var c in diff.Inputs) html.Add($"<li>{c.Text}</li>");
            html.Add($"</ul>");
        }
        html.Add($"<h2>Tests</h2>");
        if (diff.Tests.Count == 0) html.Add($"<p class=\"note\">No test changed status.</p>");
        else
        {
            html.Add($"<table class=\"tests\"><thead><tr><th>test</th><th>before</th><th>after</th></tr></thead><tbody>");
            foreach (var t in diff.Tests) html.Add($"<tr><td>{t.Name}</td><td>{t.From ?? "(not run)"}</td><td>{t.To ?? "(not run)"}</td></tr>");
            html.Add($"</tbody></table>");
        }
        html.Add($"<h2>SBOM</h2>");
        if (diff.Sbom is not { } sbom)
        {
            html.Add($"<p class=\"note\">No SBOM diff: {diff.SbomUnavailable}</p>");
            return html.ToHtml();
        }
        html.Add($"<p id=\"sbom-diff\">{sbom.Added.Count} added, {sbom.Removed.Count} removed, {sbom.Changed.Count} changed versions, {sbom.Unchanged} unchanged</p>");
        html.Add($"<table class=\"sbom-diff\"><thead><tr><th>change</th><th>component</th><th>type</th><th>before</th><th>after</th></tr></thead><tbody>");
        foreach (var c in sbom.Added) html.Add($"<tr><td class=\"ok\">added</td><td>{c.Name}</td><td>{c.Type}</td><td></td><td>{c.Version}</td></tr>");
        foreach (var c in sbom.Removed) html.Add($"<tr><td class=\"bad\">removed</td><td>{c.Name}</td><td>{c.Type}</td><td>{c.Version}</td><td></td></tr>");
        foreach (var c in sbom.Changed) html.Add($"<tr><td>changed</td><td>{c.Name}</td><td>{c.Type}</td><td>{c.From}</td><td>{c.To}</td></tr>");
        html.Add($"</tbody></table>");
        return html.ToHtml();
    }
}
