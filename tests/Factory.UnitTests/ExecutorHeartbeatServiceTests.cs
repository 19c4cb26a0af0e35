using Factory.Contracts.Messages;
using Factory.Executor;
using Factory.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.UnitTests;

/// <summary>
/// ExecutorHeartbeatService: each beat names, per pool, the builds the executor runs (their leases are renewed by it) and
/// counts them busy; an idle executor beats at its idle interval, and a build starting is told at the next tick.
/// </summary>
public sealed class ExecutorHeartbeatServiceTests
{
    [Fact]
    public async Task A_heartbeat_carries_and_counts_the_builds_running_in_its_pool_only()
    {
        var options = new ExecutorOptions { Pools = ["amd64", "arm64"], ExecutorId = "e1", HeartbeatInterval = TimeSpan.FromMilliseconds(50) };
        var load = new ExecutorLoad();
        var (amd, arm) = (Guid.NewGuid(), Guid.NewGuid());
        using var a = load.TryEnter(amd, "amd64");
        using var b = load.TryEnter(arm, "arm64");
        await using var provider = Services(options, load);
        var harness = await StartedHarnessAsync(provider);
        using var service = new ExecutorHeartbeatService(provider.GetRequiredService<IServiceScopeFactory>(), options, load, TimeProvider.System);

        await service.StartAsync(CancellationToken.None);
        Assert.True(await harness.Published.Any<ExecutorHeartbeat>(m => m.Context.Message.Pool == "arm64"), "no heartbeat for arm64");
        await service.StopAsync(CancellationToken.None);

        var beats = harness.Published.Select<ExecutorHeartbeat>().Select(m => m.Context.Message).ToList();
        Assert.All(beats.Where(h => h.Pool == "amd64"), h => Assert.Equal([amd], h.RunningBuilds));
        Assert.All(beats.Where(h => h.Pool == "arm64"), h => Assert.Equal([arm], h.RunningBuilds));
        // Busy is the pool's own count: summed per pool, a two-pool executor's builds are not counted twice.
        Assert.All(beats, h => Assert.Equal((1, "e1"), (h.Busy, h.ExecutorId)));
        Assert.Contains(beats, h => h.Pool == "amd64");
    }

    [Fact]
    public async Task An_idle_executor_beats_once_per_idle_interval_and_at_the_next_tick_once_a_build_starts()
    {
        var options = new ExecutorOptions
        {
            Pools = ["amd64"], ExecutorId = "e1", HeartbeatInterval = TimeSpan.FromMilliseconds(50), IdleHeartbeatInterval = TimeSpan.FromMinutes(10),
        };
        var load = new ExecutorLoad();
        await using var provider = Services(options, load);
        var harness = await StartedHarnessAsync(provider);
        using var service = new ExecutorHeartbeatService(provider.GetRequiredService<IServiceScopeFactory>(), options, load, TimeProvider.System);

        await service.StartAsync(CancellationToken.None);
        Assert.True(await harness.Published.Any<ExecutorHeartbeat>(), "no first heartbeat");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // ten ticks, all idle
        Assert.Single(harness.Published.Select<ExecutorHeartbeat>());

        var build = Guid.NewGuid();
        using (load.TryEnter(build, "amd64"))
        {
            // Polled rather than awaited with Published.Any, which stops waiting once the harness has seen no activity for a while.
            var told = await Poll.UntilAsync(() => harness.Published.Select<ExecutorHeartbeat>().Any(m => m.Context.Message.RunningBuilds.Contains(build)),
                t => t, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
            Assert.True(told.Met, "the running build was not told");
        }
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(0, harness.Published.Select<ExecutorHeartbeat>().First().Context.Message.Busy);
    }

    private static ServiceProvider Services(ExecutorOptions options, ExecutorLoad load) =>
        new ServiceCollection().AddSingleton(options).AddSingleton(load).AddSingleton(TimeProvider.System).AddMassTransitTestHarness().BuildServiceProvider(true);

    private static async Task<ITestHarness> StartedHarnessAsync(IServiceProvider provider)
    {
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return harness;
    }
}
