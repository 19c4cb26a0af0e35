using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>
/// A submitted plan: its counts, a progress bar and every item with its state. While it runs, the page follows it
/// through server-sent events (<see cref="PlanEvents"/>); the same markup renders the page and each update.
/// </summary>
public static class PlanPage
{
    public static readonly string[] CountNames = ["pending", "queued", "running", "passed", "failed", "reused", "expired", "dead_lettered", "cancelled"];

    public static RawHtml Render(PlanRunView view, bool canCancel)
    {
        var html = new HtmlBuilder();
        html.Add($"<h1>Plan {view.PlanId} {Status(view.Status)}</h1>");
        html.Add($"<p class=\"sub\">manifest <a href=\"{Links.Matrix(view.ManifestId)}\">{view.ManifestId}</a> · submitted {Show.Time(view.SubmittedAt)}");
        if (view.CompletedAt is { } completed) html.Add($" · completed {Show.Time(completed)}");
        html.Add($" · run <code>{view.Id}</code></p>");
        if (view.Status == PlanRunView.Running)
        {
            html.Add($"<div id=\"live\" data-events=\"{Links.PlanEvents(view.Id)}\"></div>");
            if (canCancel)
                html.Add($"<form id=\"cancel-form\" method=\"post\" action=\"{Links.Plan(view.Id)}/cancel\"><button type=\"submit\">Cancel the plan</button> <span class=\"note\">items not yet finished are cancelled; builds already running finish and are recorded</span></form>");
        }
        html.Add($"<div class=\"progress\" title=\"finished items\"><span id=\"progress-done\" style=\"width:{DonePercent(view.Counts)}%\"></span></div>");
        html.Add($"<div class=\"counts\"><div>total<b id=\"count-total\">{view.Counts.Total}</b></div>");
        foreach (var (name, value) in Counts(view.Counts))
            html.Add($"<div>{name.Replace('_', ' ')}<b id=\"count-{name}\">{value}</b></div>");
        html.Add($"<div>built<b id=\"count-built\">{view.Counts.Built}</b></div></div>");

        var slots = view.Items.SelectMany(i => i.Modules.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        html.Add($"<h2>Items</h2><table class=\"items\"><thead><tr>");
        foreach (var slot in slots) html.Add($"<th>{slot}</th>");
        html.Add($"<th>platform</th><th>pool</th><th>status</th><th>attempt</th><th>executor</th><th>key</th></tr></thead><tbody>");
        foreach (var item in view.Items)
        {
            html.Add($"<tr data-key=\"{item.IdempotencyKey}\">");
            foreach (var slot in slots) html.Add($"<td>{item.Modules.GetValueOrDefault(slot)}</td>");
            html.Add($"<td>{item.Platform}</td><td>{item.Pool}</td><td class=\"status\">{ItemStatus(item)}</td><td>{item.Attempt}</td><td>{item.ExecutorId}</td><td>{Show.Short(item.IdempotencyKey)}</td></tr>");
        }
        html.Add($"</tbody></table>");
        return html.ToHtml();
    }

    public static RawHtml Status(string status) =>
        new HtmlBuilder(96).Add($"<span id=\"plan-status\" class=\"badge s-{status}\">{status}</span>").ToHtml();

    /// <summary>An item's state cell: its badge, the failure reason, and its record once there is one.</summary>
    public static RawHtml ItemStatus(PlanRunItem item)
    {
        var html = new HtmlBuilder(256).Add($"{Show.Badge(item.Status)}");
        if (item.Reason is not null) html.Add($" <span class=\"reason\">{item.Reason}</span>");
        if (item.BuildId is { } build && ItemState.IsTerminal(item.Status) && item.Status is not (ItemState.DeadLettered or ItemState.Cancelled))
            html.Add($" <a href=\"{Links.Record(build)}\">record</a>");
        return html.ToHtml();
    }

    public static IEnumerable<(string Name, int Value)> Counts(PlanRunCounts c) =>
    [
        ("pending", c.Pending), ("queued", c.Queued), ("running", c.Running), ("passed", c.Passed), ("failed", c.Failed), ("reused", c.Reused),
        ("expired", c.Expired), ("dead_lettered", c.DeadLettered), ("cancelled", c.Cancelled),
    ];

    public static int DonePercent(PlanRunCounts c) => c.Total == 0 ? 100 : (c.Total - c.Pending - c.Queued - c.Running) * 100 / c.Total;
}
