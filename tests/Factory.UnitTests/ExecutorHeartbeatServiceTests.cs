using Factory.Contracts.Messages;
using Factory.Executor;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.UnitTests;

/// <summary>ExecutorHeartbeatService: each beat names, per pool, the builds the executor runs (their leases are renewed by it).</summary>
public sealed class ExecutorHeartbeatServiceTests
{
    [Fact]
    public async Task A_heartbeat_carries_the_builds_running_in_its_pool()
    {
        var options = new ExecutorOptions { Pools = ["amd64", "arm64"], ExecutorId = "e1", HeartbeatInterval = TimeSpan.FromMilliseconds(50) };
        var load = new ExecutorLoad();
        var (amd, arm) = (Guid.NewGuid(), Guid.NewGuid());
        using var a = load.TryEnter(amd, "amd64");
        using var b = load.TryEnter(arm, "arm64");
        await using var provider = new ServiceCollection()
            .AddSingleton(options).AddSingleton(load).AddSingleton(TimeProvider.System)
            .AddMassTransitTestHarness()
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        using var service = new ExecutorHeartbeatService(provider.GetRequiredService<IServiceScopeFactory>(), options, load, TimeProvider.System);

        await service.StartAsync(CancellationToken.None);
        Assert.True(await harness.Published.Any<ExecutorHeartbeat>(m => m.Context.Message.Pool == "arm64"), "no heartbeat for arm64");
        await service.StopAsync(CancellationToken.None);

        var beats = harness.Published.Select<ExecutorHeartbeat>().Select(m => m.Context.Message).ToList();
        Assert.All(beats.Where(h => h.Pool == "amd64"), h => Assert.Equal([amd], h.RunningBuilds));
        Assert.All(beats.Where(h => h.Pool == "arm64"), h => Assert.Equal([arm], h.RunningBuilds));
        Assert.All(beats, h => Assert.Equal((2, "e1"), (h.Busy, h.ExecutorId)));
        Assert.Contains(beats, h => h.Pool == "amd64");
    }
}
