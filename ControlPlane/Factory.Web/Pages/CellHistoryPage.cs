using Factory.ControlPlane.Review;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>
/// One cell over time: its flake rate with how it is computed, where its current failing streak began and where
/// the last one ended (each with the input change that explains it), and every record newest first.
/// </summary>
public static class CellHistoryPage
{
    public static RawHtml Render(CellHistory history)
    {
        var cell = history.Cell;
        var html = new HtmlBuilder();
        html.Add($"<h1>History · {cell.ManifestId} · {cell.Platform}</h1><p class=\"sub\">{cell.Modules} · {history.Records.Count} records · <a href=\"{Links.Matrix(cell.ManifestId)}\">matrix</a></p>");

        var f = history.Flakiness;
        html.Add($"<h2>Flakiness</h2><p id=\"flake-rate\">");
        if (f.Flaky) html.Add($"{Show.Badge(CellState.Flaky)} <b>{Show.Percent(f.Rate)}</b> flake rate: {f.Failures} of {f.Runs} runs of the same inputs failed within the last {f.Window}.");
        else html.Add($"Not flaky: no inputs both passed and failed within the last {f.Window}.");
        html.Add($"</p><p class=\"note\">{history.FlakinessRule}. A cell that failed every time with the same inputs is a stable failure, not flaky.</p>");

        html.Add($"<h2>Transitions</h2><dl class=\"facts\">");
        Transition(html, "first failed", history.FirstFailed, "never failed");
        Transition(html, "first fixed", history.FirstFixed, history.FirstFailed is null ? "nothing to fix" : "still failing");
        html.Add($"</dl>");

        html.Add($"<h2>Records</h2><table class=\"history\"><thead><tr><th>recorded</th><th>status</th><th>key</th><th>test suite</th><th>base digest</th><th>template</th><th>plan</th><th></th></tr></thead><tbody>");
        foreach (var r in history.Records)
        {
            html.Add($"<tr data-build=\"{r.BuildId}\"><td>{Show.Time(r.RecordedAt)}</td><td>{Show.Badge(r.Status)}{(r.Reason is null ? "" : " ")}<span class=\"reason\">{r.Reason}</span>{(r.Rerun ? new RawHtml(" <span class=\"reason\">rerun</span>") : new RawHtml(""))}</td>");
            html.Add($"<td>{Show.Short(r.IdempotencyKey)}</td><td>{Show.Short(r.TestSuiteHash)}</td><td>{Show.Short(r.BaseDigest)}</td><td>{r.TemplateVersion}</td><td>{r.PlanId}</td><td><a class=\"record\" href=\"{Links.Record(r.BuildId)}\">record</a></td></tr>");
        }
        html.Add($"</tbody></table>");
        return html.ToHtml();
    }

    private static void Transition(HtmlBuilder html, string label, Transition? transition, string none)
    {
        if (transition is null)
        {
            html.Add($"<dt>{label}</dt><dd>{none}</dd>");
            return;
        }
        html.Add($"<dt>{label}</dt><dd><a href=\"{Links.Record(transition.BuildId)}\">{Show.Time(transition.RecordedAt)}</a>: {transition.Explanation}");
        if (transition.PreviousBuildId is { } previous)
            html.Add($" · <a href=\"{Links.Diff(previous, transition.BuildId)}\">diff with the record before</a>");
        html.Add($"</dd>");
    }
}
