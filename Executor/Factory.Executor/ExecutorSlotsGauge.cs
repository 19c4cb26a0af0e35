using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor;

/// <summary>
/// factory_executor_slots{factory_pool, factory_state}: per pool it serves, how many of this executor's slots
/// (Executor:Concurrency) run a build (busy) and how many wait for one (idle). Observed at each collection.
/// </summary>
public sealed class ExecutorSlotsGauge(ExecutorLoad load, ExecutorOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ExecutorMetrics.Meter.CreateObservableGauge("factory.executor.slots", Observe, description: "This executor's slots per pool, busy or idle.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> Observe() => options.Pools.SelectMany(pool =>
    {
        var busy = load.RunningBuilds(pool).Count;
        return new[]
        {
            new Measurement<int>(busy, ExecutorMetrics.Pool(pool), new("factory.state", "busy")),
            new Measurement<int>(Math.Max(0, options.Concurrency - busy), ExecutorMetrics.Pool(pool), new("factory.state", "idle")),
        };
    });
}
