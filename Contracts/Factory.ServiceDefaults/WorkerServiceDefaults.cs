using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Factory.ServiceDefaults;

/// <summary>
/// What the executor and the results consumer share: telemetry, the health checks, and a small HTTP listener for
/// /health and /metrics. It listens where ASPNETCORE_URLS (or --urls, or ASPNETCORE_HTTP_PORTS) says; when nothing
/// says, on an ephemeral loopback port, so that several on one host with host networking never clash. The address it
/// got is logged at start (Kestrel's "Now listening on") and announced on the bus for Prometheus.
/// </summary>
public static class WorkerServiceDefaults
{
    public const string EphemeralLoopback = "http://127.0.0.1:0";

    public static WebApplicationBuilder AddWorkerServiceDefaults(this WebApplicationBuilder builder, string serviceName, Func<IServiceProvider, string>? instanceId = null)
    {
        builder.AddFactoryTelemetry(serviceName);
        builder.AddFactoryHealthChecks();
        if (!ListenerConfigured(builder)) builder.WebHost.UseUrls(EphemeralLoopback);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ListenAddress>();
        builder.Services.AddSingleton(sp => new MetricsEndpointAnnouncer.Identity(serviceName, instanceId?.Invoke(sp) ?? $"{Environment.MachineName}-{Environment.ProcessId}"));
        builder.Services.AddHostedService<MetricsEndpointAnnouncer>();
        return builder;
    }

    private static bool ListenerConfigured(WebApplicationBuilder builder) =>
        new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .Any(key => !string.IsNullOrWhiteSpace(builder.Configuration[key]));
}
