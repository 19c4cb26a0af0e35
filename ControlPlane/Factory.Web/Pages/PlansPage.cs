using Factory.ControlPlane.Runs;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>The submitted plans, newest first, each linking to its plan page.</summary>
public static class PlansPage
{
    public static RawHtml Render(IReadOnlyList<PlanRunRow> runs) =>
        new HtmlBuilder().Add($"<h1>Plans</h1>{Table(runs)}").ToHtml();

    public static RawHtml Table(IReadOnlyList<PlanRunRow> runs)
    {
        var html = new HtmlBuilder();
        if (runs.Count == 0) return html.Add($"<p class=\"note\">No plan was submitted yet.</p>").ToHtml();
        html.Add($"<table class=\"plans\"><thead><tr><th>plan</th><th>manifest</th><th>priority</th><th>submitted</th><th>completed</th></tr></thead><tbody>");
        foreach (var run in runs)
            html.Add($"<tr><td><a href=\"{Links.Plan(run.Id)}\">{run.PlanId}</a></td><td><a href=\"{Links.Matrix(run.ManifestId)}\">{run.ManifestId}</a></td><td>{run.Priority}</td><td>{Show.Time(run.SubmittedAt)}</td><td>{(run.CompletedAt is null ? Show.Badge("running") : Show.Time(run.CompletedAt))}</td></tr>");
        return html.Add($"</tbody></table>").ToHtml();
    }
}
