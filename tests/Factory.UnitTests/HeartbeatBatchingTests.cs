using System.Reflection;
using Factory.ControlPlane;
using Factory.ControlPlane.Consumers;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Factory.Contracts.Messages;
using Factory.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.UnitTests;

/// <summary>
/// A thousand executors' heartbeats are written in a few statements (batches of up to a second), not one every few
/// milliseconds, and every executor is recorded. The window is the dispatch options' (the embedded run takes a short one).
/// </summary>
public sealed class HeartbeatBatchingTests : IAsyncLifetime
{
    private const int Executors = 1000;
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-beats-" + Guid.NewGuid().ToString("N")[..10]);
    private SqlitePlanStateStore _store = null!;
    private IPlanStateStore _counted = null!;
    private ServiceProvider? _provider;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _store = new SqlitePlanStateStore(_state);
        await _store.EnsureSchemaAsync(CancellationToken.None);
        _counted = CountingStore.Around(_store);
    }

    /// <summary>Each test starts the consumer with the dispatch options it needs.</summary>
    private async Task StartAsync(DispatchOptions options)
    {
        _provider = new ServiceCollection()
            .AddSingleton(_counted)
            .AddSingleton(options)
            .AddSingleton(TimeProvider.System)
            .AddMassTransitTestHarness(x => x.AddConsumer<ExecutorHeartbeatConsumer, HeartbeatBatchDefinition>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _harness.Stop();
            await _provider.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_state, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task A_thousand_heartbeats_are_a_few_statements_and_every_executor_is_recorded()
    {
        await StartAsync(new DispatchOptions());
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, Executors).Select(n => _harness.Bus.Publish(Beat(n, now))));

        var executors = await Poll.UntilAsync(() => _store.ListExecutorsAsync(now.AddMinutes(-1), CancellationToken.None), e => e.Count == Executors,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.Equal(Executors, executors.Answer.Select(e => e.ExecutorId).Distinct().Count());
        var calls = CountingStore.Calls(_counted, nameof(IPlanStateStore.RecordHeartbeatsAsync));
        // A second's batches: a few statements for a thousand heartbeats, however long their publishing took (seconds on a
        // loaded machine); batches of 10 ms, the other events', take one statement for every few of them.
        Assert.InRange(calls, 1, 10);
    }

    [Fact]
    public async Task A_batch_stays_open_for_the_window_the_options_give()
    {
        // A window of an hour: a heartbeat published alone, then the rest more than the fleet's one-second window later,
        // are still one batch (1,000 is its message limit). A definition that kept its own window would write the first
        // heartbeat alone.
        await StartAsync(new DispatchOptions { HeartbeatWindow = TimeSpan.FromHours(1) });
        var now = DateTimeOffset.UtcNow;
        await _harness.Bus.Publish(Beat(0, now));
        await Task.Delay(new DispatchOptions().HeartbeatWindow * 1.5);
        await Task.WhenAll(Enumerable.Range(1, HeartbeatBatchDefinition.MessageLimit - 1).Select(n => _harness.Bus.Publish(Beat(n, now))));

        await Poll.UntilAsync(() => _store.ListExecutorsAsync(now.AddMinutes(-1), CancellationToken.None), e => e.Count == HeartbeatBatchDefinition.MessageLimit,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, CountingStore.Calls(_counted, nameof(IPlanStateStore.RecordHeartbeatsAsync)));
    }

    private static ExecutorHeartbeat Beat(int n, DateTimeOffset now) => new()
    {
        ExecutorId = $"e{n}", Pool = "amd64", Host = "host", Concurrency = 1, Busy = 0, SentAt = now, RunningBuilds = [],
    };

    /// <summary>Counts the calls made through it, by method name, and passes each to the store it wraps.</summary>
    public class CountingStore : DispatchProxy
    {
        private readonly Dictionary<string, int> _calls = [];
        private IPlanStateStore _inner = null!;

        public static IPlanStateStore Around(IPlanStateStore inner)
        {
            var proxy = Create<IPlanStateStore, CountingStore>();
            ((CountingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        public static int Calls(IPlanStateStore proxy, string method)
        {
            var counting = (CountingStore)(object)proxy;
            lock (counting._calls) return counting._calls.GetValueOrDefault(method);
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            lock (_calls) _calls[targetMethod!.Name] = _calls.GetValueOrDefault(targetMethod.Name) + 1;
            return targetMethod.Invoke(_inner, args);
        }
    }
}
