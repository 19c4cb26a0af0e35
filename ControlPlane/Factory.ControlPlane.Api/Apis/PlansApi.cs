using Factory.ControlPlane.Access;
using Factory.Planning.Registry;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Failures;
using Factory.Manifests;
using Factory.Records;
using Factory.Web.Access;
using Factory.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

public static class PlansApi
{
    public static void MapPlansApi(this IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/plans");
        plans.MapPost("/", SubmitAsync).RequiresRole(Role.Submitter);
        plans.MapGet("/{id:guid}", GetAsync);
        plans.MapGet("/", ListAsync);
        plans.MapPost("/{id:guid}/cancel", CancelAsync).RequiresRole(Role.Operator);
    }

    /// <summary>Open items become cancelled and nothing more of the plan is dispatched; builds already in flight finish and are recorded.</summary>
    private static async Task<Results<Ok<CancelledPlanResponse>, ProblemHttpResult>> CancelAsync(Guid id, HttpContext context, IPlanStateStore state, AuditTrail audit,
        TimeProvider clock, CancellationToken ct)
    {
        try
        {
            if (await state.CancelRunAsync(id, clock.GetUtcNow(), ct) is not { } cancelled) return Problems.NotFound("No such plan", $"no plan run {id}");
            await audit.RecordAsync(context, AuditActions.PlanCancelled, id.ToString(), $"{cancelled} item(s) cancelled");
            return TypedResults.Ok(new CancelledPlanResponse(id, cancelled, $"/api/plans/{id}"));
        }
        catch (InfrastructureException ex)
        {
            return Problems.Unavailable(ex);
        }
    }

    /// <summary>
    /// The body is a plan document: YAML, or JSON (which is YAML too). ?refresh_bases=true asks the registry for the
    /// base images' digests now instead of using those cached in the last minute (a base was just pushed). ?rerun=N runs
    /// every combination that already passed N times again (overrides the plan's rerun: N).
    /// </summary>
    private static async Task<Results<Accepted<AcceptedPlanResponse>, ProblemHttpResult>> SubmitAsync(HttpRequest request, PlanIntake intake,
        CachingBaseImageResolver bases, AuditTrail audit, ControlPlaneOptions options, CancellationToken ct, bool refresh_bases = false, int? rerun = null)
    {
        if (refresh_bases) bases.InvalidateAll();
        var max = options.Plans.MaxDocumentBytes;
        var tooLarge = $"the plan document is larger than {max:N0} bytes (ControlPlane__Plans__MaxDocumentBytes)";
        if (request.ContentLength > max) return Problems.TooLarge("body", tooLarge);
        // Counted as it arrives: a chunked body has no Content-Length to check.
        if (await BoundedBody.ReadAsync(request.Body, max, ct) is not { } document) return Problems.TooLarge("body", tooLarge);
        if (string.IsNullOrWhiteSpace(document)) return Problems.BadRequest("body", "expected a plan document (YAML or JSON) with id, manifest and matrix");
        var source = request.Headers.TryGetValue("X-Plan-Source", out var name) && !string.IsNullOrWhiteSpace(name) ? name.ToString() : "request body";
        try
        {
            var accepted = await intake.AcceptAsync(document, source, ct, rerun);
            await audit.RecordAsync(request.HttpContext, AuditActions.PlanSubmitted, accepted.Id.ToString(),
                $"plan {accepted.PlanId}: {accepted.Items} item(s), {accepted.Reused} reused");
            return TypedResults.Accepted($"/api/plans/{accepted.Id}",
                new AcceptedPlanResponse(accepted.Id, accepted.PlanId, accepted.Items, accepted.Reused, $"/api/plans/{accepted.Id}"));
        }
        catch (InvalidInputException ex)
        {
            return Problems.Invalid(ex);
        }
        catch (InfrastructureException ex)
        {
            return Problems.Unavailable(ex);
        }
    }

    /// <summary>?items=false leaves the items out: counts and summary only (cheap to poll on a large plan).</summary>
    private static async Task<Results<Ok<PlanRunView>, NotFound>> GetAsync(Guid id, IPlanStateStore state, ICompatibilityRecordStore records, CancellationToken ct,
        bool items = true) =>
        await PlanRunView.LoadAsync(id, state, records, items, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Ok<IReadOnlyList<PlanRunRow>>> ListAsync(IPlanStateStore state, CancellationToken ct) =>
        TypedResults.Ok(await state.ListRunsAsync(100, ct));

    public sealed record CancelledPlanResponse(Guid Id, int Cancelled, string StatusUrl);

    public sealed record AcceptedPlanResponse(Guid Id, string PlanId, int Items, int Reused, string StatusUrl);
}
