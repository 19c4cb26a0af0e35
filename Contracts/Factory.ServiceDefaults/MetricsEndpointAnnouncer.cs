using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.ServiceDefaults;

/// <summary>
/// Tells the control plane, every <see cref="Interval"/>, where this host's /metrics is, so that Prometheus finds hosts
/// on ephemeral ports through GET /api/fleet/targets. A failed publish (the broker is away) waits for the next tick.
/// </summary>
public sealed class MetricsEndpointAnnouncer(IServiceScopeFactory scopes, ListenAddress address, MetricsEndpointAnnouncer.Identity identity,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<MetricsEndpointAnnouncer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public sealed record Identity(string Service, string InstanceId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(stoppingToken);
        var url = address.Url;
        if (url is null) return;
        logger.LogInformation("{Service} {Instance}: metrics at {Url}/metrics, health at {Url}/health/ready", identity.Service, identity.InstanceId, url, url);
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(new MetricsEndpointAnnounced
                {
                    Service = identity.Service, InstanceId = identity.InstanceId, Url = url, SentAt = clock.GetUtcNow(),
                }, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug("announcing the metrics endpoint failed, next tick tries again: {Message}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private Task WhenStartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(ct);
    }
}
