using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor.Simulator;

/// <summary>
/// SIMULATOR — every simulated executor's heartbeat, as a real executor of concurrency 1 sends it (the build it runs renews
/// that build's lease). The executors beat in turn, a tenth of them every tenth of the interval, so that a thousand of
/// them reach the control plane as a steady stream rather than all at once. At its turn each executor beats when
/// <see cref="HeartbeatCadence"/> says so, as a real one does: busy every interval, idle every idle interval.
/// </summary>
public sealed class SimulatedHeartbeatService(IBus bus, SimulatedExecutors executors, ExecutorOptions options, TimeProvider clock) : BackgroundService
{
    private const int Turns = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval / Turns, clock);
        var pool = options.Pools[0];
        var turn = 0;
        var last = new HeartbeatSent?[executors.Count];
        do
        {
            try
            {
                var now = clock.GetUtcNow();
                var due = executors.Snapshot().Select((e, n) => (e.Id, e.Build, N: n))
                    .Where(e => e.N % Turns == turn && HeartbeatCadence.IsDue(e.Build is not null, last[e.N], now, options)).ToList();
                await Task.WhenAll(due.Select(e => bus.Publish(new ExecutorHeartbeat
                {
                    ExecutorId = e.Id, Pool = pool, Host = options.Host, Concurrency = 1, Busy = e.Build is null ? 0 : 1, SentAt = now,
                    RunningBuilds = e.Build is { } build ? [build] : [],
                }, stoppingToken)));
                foreach (var e in due) last[e.N] = new HeartbeatSent(now, e.Build is not null);
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
            {
                // The broker is away; the next turn will try again.
            }
            turn = (turn + 1) % Turns;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
