using Factory.ControlPlane.Review;
using Factory.ControlPlane.Runs;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>
/// Hydra's compare: the manifest's matrix on two sides, in tabs (newly failing, newly passing, still failing, new,
/// removed), each cell with its result on both sides and the inputs that changed. Only the chosen tab is rendered.
/// </summary>
public static class ComparePage
{
    public static readonly (string Id, string Label)[] Tabs =
        [("newly_failing", "Newly failing"), ("newly_passing", "Newly passing"), ("still_failing", "Still failing"), ("new", "New"), ("removed", "Removed")];

    public static string Tab(string? requested) => Tabs.Any(t => t.Id == requested) ? requested! : Tabs[0].Id;

    public static RawHtml Render(Comparison comparison, CompareQuery query, IReadOnlyList<PlanRunRow> runs)
    {
        var html = new HtmlBuilder();
        html.Add($"<h1>Compare · {comparison.ManifestId}</h1><p class=\"sub\">before: <b>{comparison.Before}</b> · after: <b>{comparison.After}</b> · {comparison.Unchanged} cells unchanged · <a href=\"{Links.Matrix(comparison.ManifestId)}\">matrix</a></p>");
        html.Add($"<form class=\"filters\" method=\"get\" action=\"{Links.Compare(comparison.ManifestId)}\">");
        html.Add($"<label>before (time, 7d, or plan run)<input name=\"before\" value=\"{query.Before}\" list=\"runs\"></label>");
        html.Add($"<label>after (empty: now)<input name=\"after\" value=\"{query.After}\" list=\"runs\"></label>");
        html.Add($"<label>before: only plan<input name=\"before_plan\" value=\"{query.BeforePlan}\"></label><label>after: only plan<input name=\"after_plan\" value=\"{query.AfterPlan}\"></label>");
        html.Add($"<input type=\"hidden\" name=\"tab\" value=\"{query.Tab}\"><button type=\"submit\">Compare</button></form><datalist id=\"runs\">");
        foreach (var run in runs) html.Add($"<option value=\"{run.Id}\">{run.PlanId} {run.SubmittedAt:u}</option>");
        html.Add($"</datalist><nav class=\"tabs\">");
        foreach (var (id, label) in Tabs)
        {
            var count = Cells(comparison, id).Count;
            if (id == query.Tab) html.Add($"<a href=\"{query.With(id)}\" aria-current=\"page\" data-tab=\"{id}\">{label} ({count})</a>");
            else html.Add($"<a href=\"{query.With(id)}\" data-tab=\"{id}\">{label} ({count})</a>");
        }
        html.Add($"</nav>");
        var cells = Cells(comparison, query.Tab);
        if (cells.Count == 0)
        {
            html.Add($"<p class=\"note\">None.</p>");
            return html.ToHtml();
        }
        html.Add($"<table class=\"compared\" data-tab=\"{query.Tab}\"><thead><tr><th>modules</th><th>platform</th><th>before</th><th>after</th><th>inputs that changed</th></tr></thead><tbody>");
        foreach (var cell in cells)
        {
            var history = Links.Cell(comparison.ManifestId, cell.Platform, new CellId(comparison.ManifestId, cell.Modules, cell.Platform).SlotVersions);
            html.Add($"<tr><td><a href=\"{history}\">{cell.Modules}</a></td><td>{cell.Platform}</td><td>{Result(cell.Before)}</td><td>{Result(cell.After)}</td><td>");
            foreach (var change in cell.Changes) html.Add($"<div>{change.Text}</div>");
            html.Add($"</td></tr>");
        }
        html.Add($"</tbody></table>");
        return html.ToHtml();
    }

    public static IReadOnlyList<ComparedCell> Cells(Comparison c, string tab) => tab switch
    {
        "newly_passing" => c.NewlyPassing,
        "still_failing" => c.StillFailing,
        "new" => c.New,
        "removed" => c.Removed,
        _ => c.NewlyFailing,
    };

    private static RawHtml Result(CellResult? result)
    {
        if (result is null) return new RawHtml("<span class=\"note\">no record</span>");
        var html = new HtmlBuilder(256).Add($"<a href=\"{Links.Record(result.BuildId)}\">{Show.Badge(result.Status)}</a>");
        if (result.Reason is not null) html.Add($" <span class=\"reason\">{result.Reason}</span>");
        return html.Add($" <span class=\"reason\">{Show.Time(result.RecordedAt)}</span>").ToHtml();
    }
}
