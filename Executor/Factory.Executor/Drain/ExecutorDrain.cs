using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Executor.Drain;

/// <summary>
/// Says what SIGTERM does to this executor. The drain itself is the bus's stop (see DrainRegistration): it cancels the
/// queue consumers at once, so no new delivery starts and prefetched ones go back to their queue, waits the grace for
/// the builds in progress, then cancels those, which hand themselves back. Registered before the bus, so it stops
/// after it and can report how the drain ended.
/// </summary>
public sealed class ExecutorDrain(DrainSignal signal, ExecutorLoad load, ExecutorOptions options, IHostApplicationLifetime lifetime,
    ILogger<ExecutorDrain> logger) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(Begin);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (signal.IsDraining)
            logger.LogInformation("drained: {Finished} finished, {HandedBack} handed back; exiting", signal.Finished, signal.HandedBack);
        return Task.CompletedTask;
    }

    private void Begin()
    {
        if (!signal.Begin()) return;
        var running = options.Pools.SelectMany(load.RunningBuilds).ToList();
        logger.LogInformation(
            "draining: {Count} builds in progress{Builds}; no new work is taken; each has {Grace}s to finish, then it is handed back to its queue",
            running.Count, running.Count == 0 ? "" : $" ({string.Join(", ", running)})", options.Drain.GraceSeconds);
        _stopping.Dispose();
    }
}
