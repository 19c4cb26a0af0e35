using Factory.Contracts.Health;
using Factory.ServiceDefaults.Readiness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;

namespace Factory.ServiceDefaults;

/// <summary>
/// The HTTP contract every host keeps: /health/live (the process answers; it asks nothing else, so a slow dependency
/// never gets a live process restarted), /health/ready (every check tagged <see cref="ReadyTag"/> passes: the host
/// started, the bus is connected — MassTransit tags its bus check "ready" — and every <see cref="IReadinessProbe"/> the
/// host's services registered answers: database, evidence store, engine, manifest store) and /metrics (Prometheus text).
/// Readiness is 503 while any check is degraded or unhealthy, with a JSON body naming each check and why.
/// </summary>
public static class FactoryEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>The health checks every host has; a host adds its own with the <see cref="ReadyTag"/>.</summary>
    public static IHealthChecksBuilder AddFactoryHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>, ReadinessProbeRegistrations>();
        return builder.Services.AddHealthChecks().AddCheck<HostStartedCheck>("host", tags: [ReadyTag]);
    }

    public static IEndpointRouteBuilder MapFactoryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            // A degraded dependency (MassTransit's bus with an endpoint down) is no state to send work to.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Probes and scrapes are not traced: they would drown the traces of work.</summary>
    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics");
}
