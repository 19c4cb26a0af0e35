using Factory.ControlPlane;
using Factory.ControlPlane.Access;
using Factory.ControlPlane.DeadLetters;
using Factory.Planning;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Failures;
using Factory.Web.Access;
using Factory.Web.Html;
using Factory.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Web.Endpoints;

internal static class FleetEndpoints
{
    public static void MapFleetPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fleet", async (HttpContext context, IPlanStateStore state, PoolCatalog pools, IQueueDepths depths, TimeProvider clock, CancellationToken ct) =>
        {
            var options = context.RequestServices.GetService<ControlPlaneOptions>() ?? new ControlPlaneOptions();
            var executors = await state.ListExecutorsAsync(clock.GetUtcNow() - options.ExecutorTimeout, ct);
            var inFlight = await state.ListInFlightAsync(ct);
            var ready = await depths.ReadyAsync(pools.Pools.Select(p => p.Name).ToList(), ct);
            var deadLetters = await DeadLettersAsync(context.RequestServices.GetService<DeadLetterQueue>(), ct);
            return PageLayout.Page("Fleet", FleetPage.Render(new FleetView(pools.Pools, executors, inFlight, ready, deadLetters)), "Fleet");
        }).ExcludeFromDescription();

        // A form post (works without the script): replay one dead letter or all, then back to the fleet page.
        app.MapPost("/fleet/dlq/replay", async (HttpRequest request, HttpContext context, CancellationToken ct) =>
        {
            if (context.RequestServices.GetService<DeadLetterQueue>() is not { } queue)
                return Results.Text("dead letters live on the fleet's broker: this process has none", statusCode: StatusCodes.Status404NotFound);
            var form = await request.ReadFormAsync(ct);
            var ids = form["id"].Where(i => !string.IsNullOrEmpty(i)).Select(i => i!).ToList();
            if (form["all"] != "true" && ids.Count == 0) return Results.Text("id: name a dead letter to replay, or all=true", statusCode: StatusCodes.Status400BadRequest);
            var replay = await queue.ReplayAsync(form["all"] == "true" ? null : ids, ct);
            if (replay.Refused.Count > 0) return Results.Text(replay.Refusals("\n"), statusCode: StatusCodes.Status400BadRequest);
            await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context, AuditActions.DeadLettersReplayed,
                form["all"] == "true" ? "all" : string.Join(",", ids), $"{replay.Replayed.Count} replayed (web)");
            return Results.Redirect("/fleet", permanent: false, preserveMethod: false);
        }).RequiresRole(Role.Operator).DisableAntiforgery().ExcludeFromDescription();

        // What replay refuses (a malformed message, an untrusted result) can only be removed: one by id, from its row.
        app.MapPost("/fleet/dlq/purge", async (HttpRequest request, HttpContext context, CancellationToken ct) =>
        {
            if (context.RequestServices.GetService<DeadLetterQueue>() is not { } queue)
                return Results.Text("dead letters live on the fleet's broker: this process has none", statusCode: StatusCodes.Status404NotFound);
            var form = await request.ReadFormAsync(ct);
            var ids = form["id"].Where(i => !string.IsNullOrEmpty(i)).Select(i => i!).ToList();
            if (ids.Count == 0) return Results.Text("id: name a dead letter to purge", statusCode: StatusCodes.Status400BadRequest);
            var purged = await queue.PurgeAsync(DeadLetterQueue.Named(ids), ct);
            await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context, AuditActions.DeadLettersPurged,
                string.Join(",", ids), $"{purged.Count} purged (web): {string.Join(",", purged.Select(p => p.MessageId))}");
            return Results.Redirect("/fleet", permanent: false, preserveMethod: false);
        }).RequiresRole(Role.Operator).DisableAntiforgery().ExcludeFromDescription();
    }

    private static async Task<DeadLetterList> DeadLettersAsync(DeadLetterQueue? queue, CancellationToken ct)
    {
        if (queue is null) return new DeadLetterList(false, [], null);
        try
        {
            return new DeadLetterList(true, await queue.ListAsync(ct), null);
        }
        catch (InfrastructureException ex)
        {
            return new DeadLetterList(true, [], ex.Message);
        }
    }
}
