using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor;

/// <summary>
/// Tells the control plane that this executor serves its pools, and which builds it runs (renewing their leases): every
/// HeartbeatInterval while busy, every IdleHeartbeatInterval while idle, at once on a change (<see cref="HeartbeatCadence"/>).
/// </summary>
public sealed class ExecutorHeartbeatService(IServiceScopeFactory scopes, ExecutorOptions options, ExecutorLoad load, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, clock);
        HeartbeatSent? last = null;
        do
        {
            var (running, now) = (load.Busy, clock.GetUtcNow());
            if (!HeartbeatCadence.IsDue(running > 0, last, now, options)) continue;
            try
            {
                using var scope = scopes.CreateScope();
                var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                foreach (var pool in options.Pools)
                {
                    // Busy is the pool's own: a fleet's per-pool sums would count a two-pool executor's builds twice.
                    var builds = load.RunningBuilds(pool);
                    await publish.Publish(new ExecutorHeartbeat
                    {
                        ExecutorId = options.ExecutorId, Pool = pool, Host = options.Host,
                        Concurrency = options.Concurrency, Busy = builds.Count, SentAt = now, RunningBuilds = builds,
                    }, stoppingToken);
                }
                last = new HeartbeatSent(now, running > 0);
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
            {
                // The broker is away; the next beat will try again.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
