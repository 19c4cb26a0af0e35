using Factory.ControlPlane.Runs;
using Factory.Contracts.Failures;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane;

/// <summary>
/// Creates the schema and the broker topology once their servers answer, then every Dispatch:Interval reaps lapsed
/// leases and looks at every open plan (for what no event unblocked).
/// </summary>
public sealed class DispatchLoop(IPlanStateStore state, IEnumerable<IBrokerTopology> topology, LeaseReaper reaper, WorkDispatcher dispatcher,
    ControlPlaneReadiness readiness, ControlPlaneOptions options, ILogger<DispatchLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

    private async Task UntilDoneAsync(string what, Func<CancellationToken, Task> step, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step(ct);
                return;
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
            {
                logger.LogWarning("waiting to create {What} (attempt {Attempt}): {Message}", what, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), ct);
            }
        }
    }
}
