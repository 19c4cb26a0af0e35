using System.Collections.Concurrent;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor;
using Factory.Executor.Drain;
using Factory.Evidence;
using Factory.Messaging;
using Factory.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Factory.UnitTests;

/// <summary>
/// ExecuteWorkItemConsumer on MassTransit's in-memory test harness: a delivery of a build already running on this host
/// is noted and dropped (consumed, nothing published), whether it runs in this process or in another one.
/// </summary>
public sealed class ExecuteWorkItemConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-consumer-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly HeldPipeline _pipeline = new();
    private readonly CapturedLogs _logs = new();
    private readonly BusRecorder _bus = new();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var options = new ExecutorOptions { StateDirectory = _state, ExecutorId = "executor-under-test" };
        _provider = new ServiceCollection()
            .AddLogging(l => l.AddProvider(_logs))
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ExecutorLoad>()
            .AddSingleton<DrainSignal>()
            .AddSingleton<HandBackNotice>()
            .AddGroupPublisher<WorkItemStarted, WorkItemStartedGroup>(starts => new WorkItemStartedGroup { Starts = starts })
            .AddSingleton<IEvidenceStore>(new FileSystemEvidenceStore(_state))
            .AddSingleton<DeadLetterNotice>()
            .AddSingleton<IWorkItemPipeline>(_pipeline)
            .AddMassTransitTestHarness(x => x.AddConsumer<ExecuteWorkItemConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 8))
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _harness.Bus.ConnectPublishObserver(_bus);
        _harness.Bus.ConnectConsumeObserver(_bus);
    }

    public async Task DisposeAsync()
    {
        _pipeline.Release.TrySetResult();
        await _harness.Stop();
        await _provider.DisposeAsync();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Of_two_concurrent_deliveries_of_one_build_one_runs_and_the_other_is_noted_and_dropped()
    {
        var build = Guid.NewGuid();

        await Task.WhenAll(_harness.Bus.Publish(Command(build, attempt: 1)), _harness.Bus.Publish(Command(build, attempt: 2)));

        await Until(() => Consumed() == 1 && _pipeline.Runs == 1, "one delivery dropped while the other runs");
        var running = Assert.Single(_pipeline.Deliveries);
        var dropped = running.Attempt == 1 ? 2 : 1;
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains($"build {build} attempt {dropped}: dropped, another delivery of this build is running on this host"));
        Assert.Empty(_bus.Published<WorkItemCompleted>());
        var started = Assert.Single(_bus.Published<WorkItemStartedGroup>().SelectMany(g => g.Starts));
        Assert.Equal((build, running.Attempt, "executor-under-test"), (started.BuildId, started.Attempt, started.ExecutorId));

        _pipeline.Release.SetResult();
        await Until(() => Consumed() == 2 && _bus.Published<WorkItemCompleted>().Count > 0, "the running delivery to publish its result");
        Assert.Equal(build, Assert.Single(_bus.Published<WorkItemCompleted>()).BuildId);
        Assert.Empty(_bus.Published<Fault<ExecuteWorkItem>>());
        Assert.Equal(0, _bus.Faulted);
        Assert.Equal(1, _pipeline.Runs);
    }

    [Fact]
    public async Task A_delivery_of_a_build_that_finished_here_runs_again()
    {
        var build = Guid.NewGuid();
        _pipeline.Release.SetResult();

        await _harness.Bus.Publish(Command(build, attempt: 1));
        await Until(() => _bus.Published<WorkItemCompleted>().Count == 1, "the first delivery's result");
        await _harness.Bus.Publish(Command(build, attempt: 2));
        await Until(() => _bus.Published<WorkItemCompleted>().Count == 2, "the second delivery's result");

        Assert.Equal([1, 2], _pipeline.Deliveries.Select(d => d.Attempt).Order());
        Assert.NotEqual(_pipeline.Deliveries.First().Token, _pipeline.Deliveries.Last().Token);
    }

    [Fact]
    public async Task A_delivery_of_a_build_that_another_executor_process_runs_on_this_host_is_dropped()
    {
        var build = Guid.NewGuid();
        _pipeline.Release.SetResult();

        using (await FlockHolder.HoldAsync(HostBuildLock.PathFor(_state, build)))
        {
            await _harness.Bus.Publish(Command(build, attempt: 2));
            await Until(() => Consumed() == 1, "the delivery to be consumed");
            Assert.Equal(0, _pipeline.Runs);
            Assert.Empty(_bus.Published<WorkItemStartedGroup>());
            Assert.Contains(_logs.Lines, l => l.Message.Contains($"build {build} attempt 2: dropped") && l.Message.Contains("another executor"));
        }

        await _harness.Bus.Publish(Command(build, attempt: 3));
        await Until(() => _bus.Published<WorkItemCompleted>().Count > 0, "the delivery after the other process died to run");
        Assert.Equal(3, Assert.Single(_pipeline.Deliveries).Attempt);
        Assert.Empty(_bus.Published<Fault<ExecuteWorkItem>>());
        Assert.Equal(0, _bus.Faulted);
    }

    private int Consumed() => _bus.Consumed;

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static ExecuteWorkItem Command(Guid build, int attempt) => new() { BuildId = build, Attempt = attempt, Item = SbomSamples.Item() };

    /// <summary>What the bus published and consumed, as it happens (the harness's lists wait for the bus to go idle).</summary>
    private sealed class BusRecorder : IPublishObserver, IConsumeObserver
    {
        private readonly ConcurrentQueue<object> _published = new();
        private int _consumed, _faulted;
        public int Consumed => Volatile.Read(ref _consumed);
        public int Faulted => Volatile.Read(ref _faulted);
        public List<T> Published<T>() => _published.OfType<T>().ToList();

        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            _published.Enqueue(context.Message);
            return Task.CompletedTask;
        }
        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.Message is ExecuteWorkItem) Interlocked.Increment(ref _consumed);
            return Task.CompletedTask;
        }
        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            Interlocked.Increment(ref _faulted);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Stands in for the real pipeline (which needs the engine; its real runs are in the integration tests) to keep a
    /// delivery running until released, so that a second delivery surely arrives while the first runs.
    /// </summary>
    private sealed class HeldPipeline : IWorkItemPipeline
    {
        private int _runs;
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<Delivery> Deliveries { get; } = new();
        public int Runs => Volatile.Read(ref _runs);

        public async Task<WorkItemCompleted> RunAsync(ExecuteWorkItem command, Delivery delivery, CancellationToken ct)
        {
            Deliveries.Enqueue(delivery);
            Interlocked.Increment(ref _runs);
            await Release.Task.WaitAsync(ct);
            return new WorkItemCompleted
            {
                BuildId = command.BuildId, Item = command.Item, Status = RecordStatus.Passed,
                Executor = new ExecutorIdentity(command.Item.Pool, "host"), Timings = new StageTimings(),
            };
        }
    }
}
