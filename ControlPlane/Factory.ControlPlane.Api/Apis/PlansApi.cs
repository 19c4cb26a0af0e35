using Factory.ControlPlane.Runs;
using Factory.Contracts.Failures;
using Factory.Manifests;
using Factory.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

public static class PlansApi
{
    private const int MaxDocumentBytes = 1024 * 1024;

    public static void MapPlansApi(this IEndpointRouteBuilder app)
    {
        var plans = app.MapGroup("/api/plans");
        plans.MapPost("/", SubmitAsync);
        plans.MapGet("/{id:guid}", GetAsync);
        plans.MapGet("/", ListAsync);
    }

    /// <summary>The body is a plan document: YAML, or JSON (which is YAML too).</summary>
    private static async Task<Results<Accepted<AcceptedPlanResponse>, ProblemHttpResult>> SubmitAsync(HttpRequest request, PlanIntake intake, CancellationToken ct)
    {
        if (request.ContentLength > MaxDocumentBytes) return Problems.BadRequest("body", $"the plan document is larger than {MaxDocumentBytes} bytes");
        using var reader = new StreamReader(request.Body);
        var document = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(document)) return Problems.BadRequest("body", "expected a plan document (YAML or JSON) with id, manifest and matrix");
        var source = request.Headers.TryGetValue("X-Plan-Source", out var name) && !string.IsNullOrWhiteSpace(name) ? name.ToString() : "request body";
        try
        {
            var accepted = await intake.AcceptAsync(document, source, ct);
            return TypedResults.Accepted($"/api/plans/{accepted.Id}", new AcceptedPlanResponse(accepted.Id, accepted.PlanId, accepted.Items, $"/api/plans/{accepted.Id}"));
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

    private static async Task<Results<Ok<PlanRunView>, NotFound>> GetAsync(Guid id, PlanRunStore runs, ICompatibilityRecordStore records, CancellationToken ct) =>
        await PlanRunView.LoadAsync(id, runs, records, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    private static async Task<Ok<IReadOnlyList<PlanRunRow>>> ListAsync(PlanRunStore runs, CancellationToken ct) =>
        TypedResults.Ok(await runs.ListRunsAsync(100, ct));

    public sealed record AcceptedPlanResponse(Guid Id, string PlanId, int Items, string StatusUrl);
}
