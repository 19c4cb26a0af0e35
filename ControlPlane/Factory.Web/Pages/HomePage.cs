using Factory.ControlPlane.Runs;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>The start page: every manifest with its matrix and compare views, and the latest plans.</summary>
public static class HomePage
{
    public static RawHtml Render(IReadOnlyList<string> manifests, IReadOnlyList<PlanRunRow> runs)
    {
        var html = new HtmlBuilder().Add($"<h1>Compatibility</h1><h2>Manifests</h2>");
        if (manifests.Count == 0) html.Add($"<p class=\"note\">No manifest store is loaded here; open a matrix as /matrix/MANIFEST.</p>");
        else
        {
            html.Add($"<ul class=\"manifests\">");
            foreach (var id in manifests)
                html.Add($"<li><a href=\"{Links.Matrix(id)}\">{id}</a> · <a href=\"{Links.Compare(id)}\">compare</a></li>");
            html.Add($"</ul>");
        }
        html.Add($"<h2>Latest plans</h2>{PlansPage.Table(runs)}<p><a href=\"/plans\">All plans</a></p>");
        return html.ToHtml();
    }
}
