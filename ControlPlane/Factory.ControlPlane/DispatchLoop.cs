using Factory.ControlPlane.Runs;
using Factory.Contracts.Failures;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane;

/// <summary>
/// Creates the schema and the broker topology once their servers answer, then every Dispatch:Interval reaps lapsed
/// leases and looks at every open plan (for what no event unblocked). On shutdown it stops before the bus does
/// (StoppingAsync comes before any service's StopAsync; registered before the bus, its own StopAsync would come after
/// the bus had stopped), so the pass in progress still sends what it claimed.
/// </summary>
public sealed class DispatchLoop(IPlanStateStore state, IEnumerable<IBrokerTopology> topology, LeaseReaper reaper, WorkDispatcher dispatcher,
    ControlPlaneReadiness readiness, ControlPlaneOptions options, ILogger<DispatchLoop> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var loop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stopping.Token);
        try
        {
            await RunAsync(loop.Token);
        }
        catch (OperationCanceledException) when (loop.IsCancellationRequested)
        {
            // Stopping: the pass in progress has ended (its sends are not cut short, see WorkDispatcher.SendAsync).
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (ExecuteTask is { } running) await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await UntilDoneAsync("the plan-state schema", state.EnsureSchemaAsync, stoppingToken);
        foreach (var t in topology) await UntilDoneAsync("the broker topology", t.DeclareAsync, stoppingToken);
        readiness.MarkReady();
        using var timer = new PeriodicTimer(options.Dispatch.Interval);
        do
        {
            try
            {
                await reaper.ReapAsync(stoppingToken);
                await dispatcher.PumpAsync(DispatchScope.All, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("dispatch pass failed, will retry: {Message}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private Task UntilDoneAsync(string what, Func<CancellationToken, Task> step, CancellationToken ct) =>
        ServiceWait.UntilDoneAsync(step, (attempt, ex) => logger.LogWarning("waiting to create {What} (attempt {Attempt}): {Message}", what, attempt, ex.Message), ct);
}
