using Factory.ControlPlane;
using Factory.ControlPlane.Consumers;
using Factory.ControlPlane.Fleet;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using Factory.Records;
using Factory.Testing;
using Factory.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Factory.UnitTests;

/// <summary>
/// The control plane's start and record consumers on MassTransit's in-memory test harness: every event of a group
/// message reaches the store, and so does a lone message of the kind services published before the groups (a fleet
/// being upgraded has both).
/// </summary>
public sealed class ControlPlaneEventGroupsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly IPlanStateStore _state = EventRecordingPlanState.Create();
    private readonly CapturedLogs _logs = new();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddSingleton(_state)
            .AddSingleton(UnusedService<ICompatibilityRecordStore>.Create())
            .AddSingleton(UnusedService<IWorkSender>.Create())
            .AddSingleton(new DispatchOptions())
            .AddSingleton(TimeProvider.System)
            .AddLogging(l => l.AddProvider(_logs))
            .AddSingleton<RunSignals>()
            .AddSingleton<WorkDispatcher>()
            .AddSingleton<BuildCompletions>()
            .AddSingleton<PoolThroughput>()
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<WorkItemStartedConsumer, EventBatchDefinition<WorkItemStartedConsumer>>();
                x.AddConsumer<CompatibilityRecordedConsumer, EventBatchDefinition<CompatibilityRecordedConsumer>>();
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Every_start_of_a_group_and_a_lone_start_of_an_older_executor_are_marked_started()
    {
        var grouped = Enumerable.Range(0, 3).Select(_ => Started()).ToList();
        var lone = Started();

        await _harness.Bus.Publish(new WorkItemStartedGroup { Starts = grouped });
        await _harness.Bus.Publish(lone);

        var marked = await Poll.UntilAsync(() => Task.FromResult(EventRecordingPlanState.Started(_state)), s => s.Count >= 4, Patience, TimeSpan.FromMilliseconds(20));
        Assert.Equal(grouped.Append(lone).Select(s => s.BuildId).Order(), marked.Answer.Select(s => s.BuildId).Order());
    }

    [Fact]
    public async Task Every_record_of_a_group_and_a_lone_record_of_an_older_results_consumer_complete_their_builds_and_count_for_their_pool()
    {
        var grouped = Enumerable.Range(0, 3).Select(_ => Recorded()).ToList();
        var lone = Recorded();

        await _harness.Bus.Publish(new CompatibilityRecordedGroup { Records = grouped });
        await _harness.Bus.Publish(lone);

        var completed = await Poll.UntilAsync(() => Task.FromResult(EventRecordingPlanState.Completed(_state)), c => c.Count >= 4, Patience, TimeSpan.FromMilliseconds(20));
        Assert.Equal(grouped.Append(lone).Select(r => (r.BuildId, r.IdempotencyKey, r.Status)).OrderBy(c => c.BuildId),
            completed.Answer.Select(c => (c.BuildId, c.IdempotencyKey, c.State)).OrderBy(c => c.BuildId));
        Assert.True(_provider.GetRequiredService<PoolThroughput>().PerMinute("amd64") > 0);
        Assert.False(await _harness.Published.Any<Fault>());
    }

    private static WorkItemStarted Started() => new()
    {
        BuildId = Guid.NewGuid(), PlanId = "plan", IdempotencyKey = Guid.NewGuid().ToString("N"), Pool = "amd64", ExecutorId = "executor",
        StartedAt = DateTimeOffset.UtcNow,
    };

    private static CompatibilityRecorded Recorded() => new()
    {
        BuildId = Guid.NewGuid(), PlanId = "plan", IdempotencyKey = Guid.NewGuid().ToString("N"), Status = "passed", Pool = "amd64",
    };

    [Fact]
    public async Task A_group_with_a_null_list_or_null_events_is_logged_and_skipped_without_failing_the_well_formed_messages_beside_it()
    {
        var good = Enumerable.Range(0, 2).Select(_ => Started()).ToList();
        var alsoGood = Started();

        await Task.WhenAll(
            _harness.Bus.Publish(new WorkItemStartedGroup { Starts = null! }),
            _harness.Bus.Publish(new WorkItemStartedGroup { Starts = [good[0], null!, good[1]] }),
            _harness.Bus.Publish(new WorkItemStartedGroup { Starts = [alsoGood] }),
            _harness.Bus.Publish(new CompatibilityRecordedGroup { Records = [null!] }));

        var marked = await Poll.UntilAsync(() => Task.FromResult(EventRecordingPlanState.Started(_state)), s => s.Count >= 3, Patience, TimeSpan.FromMilliseconds(20));
        Assert.Equal(good.Append(alsoGood).Select(s => s.BuildId).Order(), marked.Answer.Select(s => s.BuildId).Order());
        await Poll.UntilAsync(() => Task.FromResult(_logs.Lines.Count(l => l.Level == LogLevel.Warning)), n => n >= 3, Patience, TimeSpan.FromMilliseconds(20));
        var warnings = _logs.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Contains(warnings, w => w.StartsWith("WorkItemStartedGroup ") && w.EndsWith(": its list of events is null; skipped"));
        Assert.Contains(warnings, w => w.StartsWith("WorkItemStartedGroup ") && w.EndsWith(": 1 of its 3 events are null; skipped"));
        Assert.Contains(warnings, w => w.StartsWith("CompatibilityRecordedGroup ") && w.EndsWith(": 1 of its 1 events are null; skipped"));
        Assert.Empty(EventRecordingPlanState.Completed(_state));
        Assert.False(await _harness.Published.Any<Fault>());
    }
}
