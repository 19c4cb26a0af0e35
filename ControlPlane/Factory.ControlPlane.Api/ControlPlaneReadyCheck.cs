using Factory.ControlPlane;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Factory.ControlPlane.Api;

/// <summary>/health/ready: the plan-state schema and the broker topology exist (as /healthz says).</summary>
public sealed class ControlPlaneReadyCheck(ControlPlaneReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("creating the plan-state schema and the broker topology"));
}
