using Factory.ControlPlane.Fleet;
using Factory.ControlPlane.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

public static class FleetApi
{
    public static void MapFleetApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/executors", async Task<Ok<IReadOnlyList<ExecutorRow>>> (IPlanStateStore state, ControlPlaneOptions options, TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(await state.ListExecutorsAsync(clock.GetUtcNow() - options.ExecutorTimeout, ct)));
        app.MapGet("/api/builds", async Task<Ok<IReadOnlyList<BuildInFlightRow>>> (IPlanStateStore state, CancellationToken ct) =>
            TypedResults.Ok(await state.ListInFlightAsync(ct)));
        app.MapGet("/api/fleet", async Task<Ok<FleetView>> (FleetReader fleet, CancellationToken ct) => TypedResults.Ok(await fleet.ReadAsync(ct)));
        // Prometheus's service discovery, open like /metrics: the scraper has no token, and the list is only metrics addresses.
        app.MapGet("/api/fleet/targets", (HttpRequest request, ScrapeTargets targets) => TypedResults.Ok(PrometheusTargets.Of(request.Host.Value!, targets.Current())))
            .AllowAnonymous();
    }
}
