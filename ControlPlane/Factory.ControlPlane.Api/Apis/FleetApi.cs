using Factory.ControlPlane.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

public static class FleetApi
{
    public static void MapFleetApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/executors", async Task<Ok<IReadOnlyList<ExecutorRow>>> (PlanRunStore runs, ControlPlaneOptions options, CancellationToken ct) =>
            TypedResults.Ok(await runs.ListExecutorsAsync(options.ExecutorTimeout, ct)));
}
