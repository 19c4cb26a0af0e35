using Factory.Contracts.Health;
using Factory.ServiceDefaults.Readiness;
using Factory.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

/// <summary>A readiness probe is asked at most once per cache period, and a probe that does not answer never hangs /health/ready.</summary>
public sealed class CachedProbeTests
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _clock = new();

    private sealed class CountingProbe(Func<CancellationToken, Task<string?>> answer) : IReadinessProbe
    {
        public int Calls;
        public string Name => "database";

        public Task<string?> ProbeAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return answer(ct);
        }
    }

    private CachedProbe Cached(IReadinessProbe probe) => new(probe, _clock, CacheFor, Timeout);

    private static Task<HealthCheckResult> CheckAsync(CachedProbe check) => check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);

    [Fact]
    public async Task An_answer_is_kept_for_the_cache_period_and_asked_again_after_it()
    {
        var probe = new CountingProbe(_ => Task.FromResult<string?>(null));
        var check = Cached(probe);

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
        _clock.Advance(CacheFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
        Assert.Equal(1, probe.Calls);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await CheckAsync(check);
        Assert.Equal(2, probe.Calls);
    }

    [Fact]
    public async Task A_probe_that_says_why_not_is_unhealthy_with_that_reason()
    {
        var check = Cached(new CountingProbe(_ => Task.FromResult<string?>("PostgreSQL at 127.0.0.1:5432/factory: connection refused")));

        var result = await CheckAsync(check);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("PostgreSQL at 127.0.0.1:5432/factory: connection refused", result.Description);
    }

    [Fact]
    public async Task A_probe_that_throws_is_unhealthy_naming_the_probe_and_the_error()
    {
        var check = Cached(new CountingProbe(_ => throw new InvalidOperationException("socket closed")));

        var result = await CheckAsync(check);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("database: socket closed", result.Description);
    }

    [Fact]
    public async Task A_probe_that_never_answers_is_unhealthy_after_the_timeout_and_is_not_started_again_beside_itself()
    {
        // Ignores its cancellation token on purpose: even such a probe must not hold the endpoint.
        var never = new TaskCompletionSource<string?>();
        var probe = new CountingProbe(_ => never.Task);
        var check = Cached(probe);

        var first = CheckAsync(check);
        await Poll.UntilAsync(() => probe.Calls, calls => calls == 1, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
        Assert.False(first.IsCompleted);
        _clock.Advance(Timeout);
        var result = await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("database: no answer within 2 s", result.Description);

        _clock.Advance(CacheFor);
        var second = CheckAsync(check);
        _clock.Advance(Timeout);
        Assert.Equal("database: no answer within 2 s", (await second.WaitAsync(TimeSpan.FromSeconds(10))).Description);
        Assert.Equal(1, probe.Calls);

        never.SetResult(null);
        await Poll.UntilAsync(() => CheckAsync(check), r => r.Status == HealthStatus.Healthy, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
        _clock.Advance(CacheFor);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(check)).Status);
    }

    [Fact]
    public async Task Callers_at_the_same_time_share_one_probe()
    {
        var answer = new TaskCompletionSource<string?>();
        var probe = new CountingProbe(_ => answer.Task);
        var check = Cached(probe);

        var checks = Enumerable.Range(0, 5).Select(_ => CheckAsync(check)).ToList();
        answer.SetResult(null);
        var results = await Task.WhenAll(checks).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.Equal(HealthStatus.Healthy, r.Status));
        Assert.Equal(1, probe.Calls);
    }
}
