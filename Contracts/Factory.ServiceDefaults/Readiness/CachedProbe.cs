using Factory.Contracts.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Factory.ServiceDefaults.Readiness;

/// <summary>
/// A readiness probe as a health check that is cheap and never hangs the endpoint: an answer is kept for
/// <see cref="CacheFor"/> (a probe every second from every orchestrator costs one round trip per period), and a probe
/// that has not answered within <see cref="Timeout"/> is "not ready" at once. A probe still running after its timeout
/// is not started again beside itself: callers keep hearing that it has not answered until it does.
/// </summary>
public sealed class CachedProbe(IReadinessProbe probe, TimeProvider clock, TimeSpan cacheFor, TimeSpan timeout) : IHealthCheck
{
    public static readonly TimeSpan DefaultCacheFor = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _running;
    private (HealthCheckResult Result, long At)? _last;

    public string Name => probe.Name;
    public TimeSpan CacheFor => cacheFor;
    public TimeSpan Timeout => timeout;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        Task<HealthCheckResult> running;
        lock (_gate)
        {
            if (_last is { } last && clock.GetElapsedTime(last.At) < cacheFor) return last.Result;
            running = _running ??= RunAsync();
        }
        try
        {
            return await running.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            var late = HealthCheckResult.Unhealthy($"{probe.Name}: no answer within {timeout.TotalSeconds:0.#} s");
            lock (_gate) _last = (late, clock.GetTimestamp());
            return late;
        }
    }

    private async Task<HealthCheckResult> RunAsync()
    {
        await Task.Yield();
        HealthCheckResult result;
        using (var deadline = new CancellationTokenSource(timeout, clock))
        {
            try
            {
                result = await probe.ProbeAsync(deadline.Token) is { } why ? HealthCheckResult.Unhealthy(why) : HealthCheckResult.Healthy();
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result = HealthCheckResult.Unhealthy($"{probe.Name}: no answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex)
            {
                result = HealthCheckResult.Unhealthy($"{probe.Name}: {ex.Message}");
            }
        }
        lock (_gate)
        {
            _last = (result, clock.GetTimestamp());
            _running = null;
        }
        return result;
    }
}
