using Factory.ControlPlane.Access;
using Factory.ControlPlane.Runs;
using Factory.Records;
using Factory.Web.Access;
using Factory.Web.Html;
using Factory.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Web.Endpoints;

internal static class PlanEndpoints
{
    public static void MapPlanPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/plans/{id:guid}", async (Guid id, IPlanStateStore state, ICompatibilityRecordStore records, CancellationToken ct) =>
            await PlanRunView.LoadAsync(id, state, records, withItems: true, ct) is { } view
                ? PageLayout.Page($"Plan {view.PlanId}", PlanPage.Render(view, canCancel: true), "Plans")
                : PageLayout.NotFound("No such plan", $"No plan run has the id {id}.")).ExcludeFromDescription();
        app.MapGet("/plans/{id:guid}/events", PlanEvents.StreamAsync).ExcludeFromDescription();
        // A plain form post (works without the script): cancel, then back to the plan page.
        app.MapPost("/plans/{id:guid}/cancel", async (Guid id, HttpContext context, IPlanStateStore state, AuditTrail audit, TimeProvider clock, CancellationToken ct) =>
        {
            if (await state.CancelRunAsync(id, clock.GetUtcNow(), ct) is not { } cancelled) return PageLayout.NotFound("No such plan", $"No plan run has the id {id}.");
            await audit.RecordAsync(context, AuditActions.PlanCancelled, id.ToString(), $"{cancelled} item(s) cancelled (web)");
            return Results.Redirect(Links.Plan(id));
        }).RequiresRole(Role.Operator).DisableAntiforgery().ExcludeFromDescription();
    }
}
