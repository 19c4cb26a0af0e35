using Factory.Contracts.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Factory.ServiceDefaults.Readiness;

/// <summary>
/// Turns every <see cref="IReadinessProbe"/> the host's services registered into a /health/ready check of that name:
/// a library registers its probe with its store or engine, and every host that composes it is ready only when it answers.
/// </summary>
public sealed class ReadinessProbeRegistrations(IEnumerable<IReadinessProbe> probes, TimeProvider clock) : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        foreach (var probe in probes)
        {
            // One instance per probe, so that its cache outlives the request.
            var check = new CachedProbe(probe, clock, CachedProbe.DefaultCacheFor, CachedProbe.DefaultTimeout);
            options.Registrations.Add(new HealthCheckRegistration(probe.Name, check, HealthStatus.Unhealthy, [FactoryEndpoints.ReadyTag]));
        }
    }
}
