using System.Diagnostics.Metrics;
using Factory.ControlPlane.Telemetry;
using Factory.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane.Fleet;

/// <summary>
/// Samples the fleet every <see cref="ControlPlaneOptions.MetricsSampleInterval"/> and serves the last sample as gauges, so a
/// scrape never waits on the broker or the database: factory_queue_messages{factory_queue, factory_pool, factory_queue_kind}
/// (ready messages on each work and dead-letter queue), factory_queue_oldest_age_seconds{factory_pool} (the oldest build
/// waiting on a pool's queue) and factory_executors{factory_pool, factory_state} (live executors, busy or idle).
/// </summary>
public sealed class FleetGauges : BackgroundService
{
    private readonly FleetReader _reader;
    private readonly ControlPlaneReadiness _readiness;
    private readonly ControlPlaneOptions _options;
    private readonly ILogger<FleetGauges> _logger;
    private volatile FleetView? _last;

    public FleetGauges(FleetReader reader, ControlPlaneReadiness readiness, ControlPlaneOptions options, ILogger<FleetGauges> logger)
    {
        (_reader, _readiness, _options, _logger) = (reader, readiness, options, logger);
        ControlPlaneMetrics.Meter.CreateObservableGauge("factory.queue.messages", QueueMessages, description: "Ready messages on a queue, as last sampled.");
        ControlPlaneMetrics.Meter.CreateObservableGauge("factory.queue.oldest_age", OldestAge, unit: "s",
            description: "Age of the oldest build waiting on a pool's work queue (since dispatch), as last sampled.");
        ControlPlaneMetrics.Meter.CreateObservableGauge("factory.executors", Executors, description: "Live executors of a pool, busy or idle, as last sampled.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _readiness.WhenReady.WaitAsync(stoppingToken); // the schema exists
        using var timer = new PeriodicTimer(_options.MetricsSampleInterval);
        do
        {
            try
            {
                _last = await _reader.ReadAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Metrics must never bring the control plane down: the gauges keep the last sample.
                _logger.LogWarning("sampling the fleet for metrics failed, next tick tries again: {Message}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> QueueMessages()
    {
        foreach (var pool in _last?.Pools ?? [])
        {
            if (pool.QueueDepth is { } depth) yield return new(depth, Queue(WorkQueues.For(pool.Pool)), ControlPlaneMetrics.Pool(pool.Pool), new("factory.queue_kind", "work"));
            if (pool.DeadLetters is { } dead) yield return new(dead, Queue(WorkQueues.DeadLetterFor(pool.Pool)), ControlPlaneMetrics.Pool(pool.Pool), new("factory.queue_kind", "dead_letter"));
        }
    }

    private IEnumerable<Measurement<double>> OldestAge() =>
        (_last?.Pools ?? []).Select(p => new Measurement<double>(p.OldestQueuedSeconds ?? 0, ControlPlaneMetrics.Pool(p.Pool)));

    private IEnumerable<Measurement<int>> Executors() =>
        (_last?.Pools ?? []).SelectMany(p => new[]
        {
            new Measurement<int>(p.BusyExecutors, ControlPlaneMetrics.Pool(p.Pool), new("factory.state", ExecutorView.BusyState)),
            new Measurement<int>(p.IdleExecutors, ControlPlaneMetrics.Pool(p.Pool), new("factory.state", ExecutorView.IdleState)),
        });

    private static KeyValuePair<string, object?> Queue(string name) => new("factory.queue", name);
}
