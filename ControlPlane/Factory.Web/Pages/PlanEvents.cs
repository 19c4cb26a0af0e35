using System.Text.Json;
using Factory.ControlPlane.Runs;
using Factory.Records;
using Microsoft.AspNetCore.Http;

namespace Factory.Web.Pages;

/// <summary>
/// GET /plans/{id}/events: server-sent events for a plan page. A <c>progress</c> event carries the counts and the
/// items whose state changed (each with its rendered state cell); <c>done</c> ends the stream once the plan is
/// complete. It looks again at every in-process signal and at least every second, so it also follows plans run by
/// another process on the same state (`factory run` beside `factory serve`).
/// </summary>
public static class PlanEvents
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(Guid id, HttpContext context, IPlanStateStore state, ICompatibilityRecordStore records, RunSignals signals, CancellationToken ct)
    {
        if (await state.GetRunAsync(id, ct) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(ct);

        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        PlanRunCounts? lastCounts = null;
        var lastWrite = DateTimeOffset.UtcNow;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var next = signals.NextChange();
                var counts = await state.CountItemsAsync(id, ct);
                if (counts != lastCounts && await PlanRunView.LoadAsync(id, state, records, withItems: true, ct) is { } view)
                {
                    var changed = view.Items.Where(i => sent.GetValueOrDefault(i.IdempotencyKey) != i.Status).ToList();
                    foreach (var item in changed) sent[item.IdempotencyKey] = item.Status;
                    await WriteAsync(context, "progress", Progress(view, changed), ct);
                    lastCounts = view.Counts;
                    lastWrite = DateTimeOffset.UtcNow;
                    if (view.Counts.Done)
                    {
                        await WriteAsync(context, "done", "{}", ct);
                        return;
                    }
                }
                else if (DateTimeOffset.UtcNow - lastWrite > KeepAlive)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    lastWrite = DateTimeOffset.UtcNow;
                }
                await Task.WhenAny(next, Task.Delay(Poll, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page was closed.
        }
    }

    private static string Progress(PlanRunView view, IEnumerable<PlanRunItem> changed)
    {
        var counts = PlanPage.Counts(view.Counts).ToDictionary(c => c.Name, c => c.Value);
        counts["total"] = view.Counts.Total;
        counts["built"] = view.Counts.Built;
        return JsonSerializer.Serialize(new
        {
            status = view.Status,
            done_percent = PlanPage.DonePercent(view.Counts),
            counts,
            items = changed.Select(i => new { key = i.IdempotencyKey, status = i.Status, html = PlanPage.ItemStatus(i).Value }),
        });
    }

    private static async Task WriteAsync(HttpContext context, string name, string data, CancellationToken ct)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
