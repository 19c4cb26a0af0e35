using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Factory.ServiceDefaults;

/// <summary>
/// OpenTelemetry for a Factory host. Metrics of every Factory meter and MassTransit's are always collected (served on
/// /metrics when <paramref name="prometheus"/>); traces are collected only when they go somewhere, so that a host
/// without an OTLP endpoint spends nothing on spans. Both go over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
/// SDK reads the rest of the standard OTEL_* settings: protocol, headers, export intervals).
/// </summary>
public static class FactoryTelemetry
{
    /// <summary>Every Factory ActivitySource and Meter is named Factory.&lt;part&gt;.</summary>
    public const string Sources = "Factory.*";
    /// <summary>MassTransit's ActivitySource and Meter: its send and consume spans carry a trace across processes.</summary>
    public const string MassTransit = "MassTransit";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool OtlpConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    public static IHostApplicationBuilder AddFactoryTelemetry(this IHostApplicationBuilder builder, string serviceName, bool prometheus = true)
    {
        var otlp = OtlpConfigured(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Sources, MassTransit);
                if (prometheus) metrics.AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
        if (otlp)
            telemetry.WithTracing(tracing => tracing
                .AddSource(Sources, MassTransit)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !FactoryEndpoints.IsProbe(context.Request.Path))
                .AddOtlpExporter());
        return builder;
    }
}
