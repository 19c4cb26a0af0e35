using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>Pools with their executors and queue depths, the builds in flight with their leases, and the dead letters (work items and results) with replay, or purge for what replay refuses.</summary>
public static class FleetPage
{
    public static RawHtml Render(FleetView fleet)
    {
        var html = new HtmlBuilder().Add($"<h1>Fleet</h1><h2>Pools</h2>");
        html.Add($"<table class=\"pools\"><thead><tr><th>pool</th><th>platform</th><th>executors</th><th>slots busy</th><th>queued (ready)</th><th>builds in flight</th></tr></thead><tbody>");
        foreach (var pool in fleet.Pools)
        {
            var executors = fleet.Executors.Where(e => e.Pool == pool.Name).ToList();
            var depth = fleet.QueueDepths.GetValueOrDefault(pool.Name);
            html.Add($"<tr data-pool=\"{pool.Name}\"><td>{pool.Name}</td><td>{pool.Platform}{(pool.Accelerator is null ? "" : " + " + pool.Accelerator)}</td><td>{executors.Count}</td>");
            html.Add($"<td>{executors.Sum(e => e.Busy)} / {executors.Sum(e => e.Concurrency)}</td><td>{(depth is { } d ? d.ToString() : "unknown")}</td><td>{fleet.InFlight.Count(b => b.Pool == pool.Name)}</td></tr>");
        }
        html.Add($"</tbody></table>");

        html.Add($"<h2>Executors</h2>");
        if (fleet.Executors.Count == 0) html.Add($"<p class=\"note\">No executor sent a heartbeat lately.</p>");
        else
        {
            html.Add($"<table class=\"executors\"><thead><tr><th>executor</th><th>pool</th><th>host</th><th>busy</th><th>last seen</th></tr></thead><tbody>");
            foreach (var e in fleet.Executors)
                html.Add($"<tr><td>{e.ExecutorId}</td><td>{e.Pool}</td><td>{e.Host}</td><td>{e.Busy} / {e.Concurrency}</td><td>{Show.Time(e.LastSeen)}</td></tr>");
            html.Add($"</tbody></table>");
        }

        html.Add($"<h2>Builds in flight</h2>");
        if (fleet.InFlight.Count == 0) html.Add($"<p class=\"note\">None.</p>");
        else
        {
            html.Add($"<table class=\"in-flight\"><thead><tr><th>build</th><th>key</th><th>pool</th><th>state</th><th>attempt</th><th>executor</th><th>dispatched</th><th>lease until</th></tr></thead><tbody>");
            foreach (var b in fleet.InFlight)
                html.Add($"<tr><td><code>{b.BuildId}</code></td><td>{Show.Short(b.IdempotencyKey)}</td><td>{b.Pool}</td><td>{Show.Badge(b.State)}</td><td>{b.Attempt}</td><td>{b.ExecutorId}</td><td>{Show.Time(b.DispatchedAt)}</td><td>{Show.Time(b.LeaseExpiresAt)}</td></tr>");
            html.Add($"</tbody></table>");
        }

        DeadLetters(html, fleet.DeadLetters);
        return html.ToHtml();
    }

    private static void DeadLetters(HtmlBuilder html, DeadLetterList dead)
    {
        html.Add($"<h2>Dead letters</h2>");
        if (!dead.Available)
        {
            html.Add($"<p class=\"note\">This process runs plans in memory (embedded): there is no broker and no dead-letter queue. An item given up on is recorded as dead-lettered in its plan.</p>");
            return;
        }
        if (dead.Error is not null) html.Add($"<p class=\"bad\">The dead-letter queues cannot be read: {dead.Error}</p>");
        else if (dead.Items.Count == 0) html.Add($"<p class=\"note\">None.</p>");
        else
        {
            var replayable = dead.Items.Count(d => d.ReplayRefused is null);
            if (replayable > 0)
                html.Add($"<form method=\"post\" action=\"/fleet/dlq/replay\"><input type=\"hidden\" name=\"all\" value=\"true\"><button type=\"submit\">Replay all {replayable}</button></form>");
            html.Add($"<table class=\"dead-letters\"><thead><tr><th>message</th><th>queue</th><th>build</th><th>plan</th><th>reason</th><th>faulted</th><th></th></tr></thead><tbody>");
            foreach (var d in dead.Items)
            {
                html.Add($"<tr data-kind=\"{d.Kind}\"><td><code>{d.MessageId}</code></td><td>{d.Queue}</td><td>{(d.BuildId is { } b ? b.ToString() : "")}</td><td>{d.PlanId}</td><td>{d.Reason}<div class=\"reason\">{d.ExceptionType}</div></td><td>{d.FaultedAt}</td>");
                if (d.ReplayRefused is { } refused)
                    html.Add($"<td><div class=\"reason\">not replayable: {refused}</div><form method=\"post\" action=\"/fleet/dlq/purge\"><input type=\"hidden\" name=\"id\" value=\"{d.MessageId}\"><button type=\"submit\">Purge</button></form></td></tr>");
                else
                    html.Add($"<td><form method=\"post\" action=\"/fleet/dlq/replay\"><input type=\"hidden\" name=\"id\" value=\"{d.MessageId}\"><button type=\"submit\">Replay</button></form></td></tr>");
            }
            html.Add($"</tbody></table>");
        }
    }
}
