using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.ServiceDefaults;

/// <summary>
/// The HTTP contract every host keeps: /health/live (the process answers), /health/ready (every check tagged
/// <see cref="ReadyTag"/> passes: the host started, the bus is connected — MassTransit tags its bus check "ready" —
/// and whatever the host adds) and /metrics (Prometheus text).
/// </summary>
public static class FactoryEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>The health checks every host has; a host adds its own with the <see cref="ReadyTag"/>.</summary>
    public static IHealthChecksBuilder AddFactoryHealthChecks(this IHostApplicationBuilder builder) =>
        builder.Services.AddHealthChecks().AddCheck<HostStartedCheck>("host", tags: [ReadyTag]);

    public static IEndpointRouteBuilder MapFactoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Probes and scrapes are not traced: they would drown the traces of work.</summary>
    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");
}
