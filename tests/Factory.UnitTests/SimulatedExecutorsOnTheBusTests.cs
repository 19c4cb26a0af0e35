using System.Collections.Concurrent;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Executor;
using Factory.Executor.Simulator;
using Factory.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.UnitTests;

/// <summary>
/// The simulator on MassTransit's in-memory test harness: each delivery runs on a simulated executor of its own, for its
/// drawn duration, under that executor's id; every executor beats, and a busy one's beat names its build.
/// </summary>
public sealed class SimulatedExecutorsOnTheBusTests : IAsyncLifetime
{
    private static readonly TimeSpan Build = TimeSpan.FromMilliseconds(300);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-sim-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly SimulatedExecutors _executors = new(4, "host", 1);
    private readonly StampingPipeline _pipeline = new();
    private readonly Factory.Signing.SigningKey _key = Factory.Signing.SigningKey.Generate();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var options = new ExecutorOptions { StateDirectory = _state, Pools = ["sim"], Host = "simulated-host", HeartbeatInterval = TimeSpan.FromMilliseconds(100) };
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(_executors)
            .AddSingleton(new BuildDuration(Build, 0, 1))
            .AddSingleton<IEvidenceStore>(new FileSystemEvidenceStore(_state))
            .AddSingleton<DeadLetterNotice>()
            .AddSingleton(_key)
            .AddSingleton<Factory.Executor.Stages.RecordSignatureStage>()
            .AddSingleton<IWorkItemPipeline>(_pipeline)
            .AddMassTransitTestHarness(x => x.AddConsumer<SimulatedWorkItemConsumer>().Endpoint(e => e.ConcurrentMessageLimit = _executors.Count))
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Items_at_once_run_on_simulated_executors_of_their_own_for_the_drawn_duration_and_their_results_name_them()
    {
        var builds = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(builds.Select(b => _harness.Bus.Publish(new ExecuteWorkItem { BuildId = b, Item = WorkItems.Make(key: b.ToString(), pool: "sim") })));

        Assert.True(await _harness.Published.Any<WorkItemCompleted>(m => m.Context.Message.BuildId == builds[2]), "no result for the third build" + string.Join("; ", _harness.Published.Select<Fault<ExecuteWorkItem>>().Select(f => f.Context.Message.Exceptions[0].Message)));
        Assert.True(await _harness.Published.Any<WorkItemCompleted>(m => m.Context.Message.BuildId == builds[0]), "no result for the first build");
        // Signed over the simulated executor's name, so a results consumer trusting the key records it.
        using var keyring = Factory.Signing.Keyring.Of("test", Factory.Signing.SigningKey.FromPem(_key.PublicKeyPem()));
        var first = _harness.Published.Select<WorkItemCompleted>().Select(m => m.Context.Message).First(m => m.BuildId == builds[0]);
        Assert.True(Factory.ResultsConsumer.ResultSignature.Check(first, keyring.Verify) is { Trusted: true }, "the simulated result's record signature does not verify");
        var started = _harness.Published.Select<WorkItemStartedGroup>().SelectMany(m => m.Context.Message.Starts).ToDictionary(s => s.BuildId);
        var completed = _harness.Published.Select<WorkItemCompleted>().Select(m => m.Context.Message).ToDictionary(c => c.BuildId);
        Assert.Equal(builds.Order(), completed.Keys.Order());
        Assert.Equal(3, started.Values.Select(s => s.ExecutorId).Distinct().Count());
        foreach (var build in builds)
        {
            Assert.True(SimulatedExecutors.IsSimulated(started[build].ExecutorId), started[build].ExecutorId);
            Assert.Equal(("sim", started[build].ExecutorId), (completed[build].Executor.Pool, completed[build].Executor.Host));
            Assert.True(_pipeline.RanAt[build] - started[build].StartedAt >= Build - TimeSpan.FromMilliseconds(20),
                $"build {build} was made {(_pipeline.RanAt[build] - started[build].StartedAt).TotalMilliseconds} ms after it started, before its {Build.TotalMilliseconds} ms");
        }
        Assert.False(await _harness.Published.Any<Fault<ExecuteWorkItem>>());
        Assert.All(_executors.Snapshot(), e => Assert.Null(e.Build));
    }

    [Fact]
    public async Task Every_simulated_executor_beats_and_a_busy_one_names_the_build_it_runs()
    {
        var build = Guid.NewGuid();
        using var busy = _executors.TryTake(build)!;
        using var service = new SimulatedHeartbeatService(_harness.Bus, _executors, _provider.GetRequiredService<ExecutorOptions>(), TimeProvider.System);

        await service.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Beats().Select(b => b.ExecutorId).Distinct().Count() < _executors.Count && DateTime.UtcNow < deadline) await Task.Delay(50);
        await service.StopAsync(CancellationToken.None);

        var beats = Beats();
        Assert.Equal(_executors.Snapshot().Select(e => e.Id).Order(), beats.Select(b => b.ExecutorId).Distinct().Order());
        Assert.All(beats, b => Assert.Equal(("sim", "simulated-host", 1), (b.Pool, b.Host, b.Concurrency)));
        Assert.All(beats.Where(b => b.ExecutorId == busy.Id), b => Assert.Equal((1, build), (b.Busy, Assert.Single(b.RunningBuilds))));
        Assert.All(beats.Where(b => b.ExecutorId != busy.Id), b => Assert.Equal(0, b.Busy));
        Assert.All(beats.Where(b => b.ExecutorId != busy.Id), b => Assert.Empty(b.RunningBuilds));
    }

    private List<ExecutorHeartbeat> Beats() => _harness.Published.Select<ExecutorHeartbeat>().Select(m => m.Context.Message).ToList();

    /// <summary>Stands in for the real pipeline (its real runs, on the instant engine, are in the fleet test): notes when each result was made.</summary>
    private sealed class StampingPipeline : IWorkItemPipeline
    {
        public ConcurrentDictionary<Guid, DateTimeOffset> RanAt { get; } = new();

        public Task<WorkItemCompleted> RunAsync(ExecuteWorkItem command, Delivery delivery, CancellationToken ct)
        {
            RanAt[command.BuildId] = DateTimeOffset.UtcNow;
            return Task.FromResult(new WorkItemCompleted
            {
                BuildId = command.BuildId, Item = command.Item, Status = RecordStatus.Passed,
                Executor = new ExecutorIdentity(command.Item.Pool, "simulated-host"), Timings = new StageTimings(),
            });
        }
    }
}
