using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor;

/// <summary>Tells the control plane, every few seconds, that this executor serves its pools.</summary>
public sealed class ExecutorHeartbeatService(IServiceScopeFactory scopes, ExecutorOptions options, ExecutorLoad load, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                foreach (var pool in options.Pools)
                    await publish.Publish(new ExecutorHeartbeat
                    {
                        ExecutorId = options.ExecutorId, Pool = pool, Host = options.Host,
                        Concurrency = options.Concurrency, Busy = load.Busy, SentAt = clock.GetUtcNow(),
                    }, stoppingToken);
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
            {
                // The broker is away; the next beat will try again.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
