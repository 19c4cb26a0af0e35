using System.Diagnostics;
using Factory.Contracts.Failures;
using Factory.Messaging;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>
/// GroupPublisher: events travel several to a message while a publish is under way, one message at a time, and no
/// caller returns before the message carrying its event is published.
/// </summary>
public sealed class GroupPublisherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => CancellationToken.None;

    private static GroupPublisher<int, int[]> Publisher(GatedPublish<int[]> bus, int groupLimit = 256, TimeSpan? timeout = null) =>
        new(bus.PublishAsync, items => items.ToArray(), groupLimit, timeout);

    [Fact]
    public async Task A_lone_event_goes_at_once_and_those_queued_while_it_is_published_go_together_in_the_next_message()
    {
        var bus = new GatedPublish<int[]>();
        var (first, second) = (bus.Hold(0), bus.Hold(1));
        await using var publisher = Publisher(bus);

        var lone = publisher.PublishAsync(0, Ct);
        await bus.Started(0).WaitAsync(Patience);
        var later = Enumerable.Range(1, 40).Select(i => publisher.PublishAsync(i, Ct)).ToList();
        Assert.False(lone.IsCompleted, "a caller returned before its message was published");

        first.SetResult();
        await lone.WaitAsync(Patience);
        await bus.Started(1).WaitAsync(Patience);
        Assert.DoesNotContain(later, w => w.IsCompleted);
        second.SetResult();
        await Task.WhenAll(later).WaitAsync(Patience);

        Assert.Equal([[0], Enumerable.Range(1, 40).ToArray()], bus.Messages);
    }

    [Fact]
    public async Task A_message_carries_at_most_the_limit()
    {
        var bus = new GatedPublish<int[]>();
        var first = bus.Hold(0);
        await using var publisher = Publisher(bus, groupLimit: 16);
        var waits = new List<Task> { publisher.PublishAsync(0, Ct) };
        await bus.Started(0).WaitAsync(Patience);
        waits.AddRange(Enumerable.Range(1, 40).Select(i => publisher.PublishAsync(i, Ct)));

        first.SetResult();
        await Task.WhenAll(waits).WaitAsync(Patience);

        Assert.Equal([1, 16, 16, 8], bus.Messages.Select(m => m.Length));
    }

    [Fact]
    public async Task A_failed_publish_fails_every_caller_of_its_message_and_only_those_and_the_next_message_goes_out()
    {
        var outage = new InfrastructureException("rabbitmq", "connection lost");
        var bus = new GatedPublish<int[]> { Failure = call => call == 1 ? outage : null };
        var first = bus.Hold(0);
        await using var publisher = Publisher(bus);
        var lone = publisher.PublishAsync(0, Ct);
        await bus.Started(0).WaitAsync(Patience);
        var failing = Enumerable.Range(1, 5).Select(i => publisher.PublishAsync(i, Ct)).ToList();

        first.SetResult();

        await lone.WaitAsync(Patience);
        foreach (var wait in failing) Assert.Same(outage, await Assert.ThrowsAsync<InfrastructureException>(() => wait.WaitAsync(Patience)));
        await publisher.PublishAsync(1, Ct).WaitAsync(Patience);
        Assert.Equal([[0], [1, 2, 3, 4, 5], [1]], bus.Messages);
    }

    [Fact]
    public async Task A_publish_that_hangs_past_the_timeout_fails_its_callers_with_a_retryable_timeout_and_the_next_goes_out()
    {
        var bus = new GatedPublish<int[]>();
        bus.Hold(0);
        await using var publisher = Publisher(bus, timeout: TimeSpan.FromMilliseconds(200));

        var hung = await Assert.ThrowsAsync<TimeoutException>(() => publisher.PublishAsync(7, Ct).WaitAsync(Patience));

        Assert.Contains("Int32[] (1 items) took longer than 0.2 s", hung.Message);
        Assert.True(FailureClassifier.IsRetryable(hung));
        await publisher.PublishAsync(8, Ct).WaitAsync(Patience);
        Assert.Equal([[7], [8]], bus.Messages);
    }

    [Fact]
    public async Task Many_callers_at_once_with_some_publishes_failing_publish_each_event_once_a_message_at_a_time_and_each_caller_hears_its_own_fate()
    {
        var bus = new GatedPublish<int[]> { Failure = call => call % 5 == 3 ? new InfrastructureException("rabbitmq", $"publish {call} failed") : null };
        await using var publisher = Publisher(bus, groupLimit: 32);
        var events = Enumerable.Range(0, 2_000).ToList();

        var outcomes = await Task.WhenAll(events.Chunk(250).Select(chunk => Task.Run(async () =>
        {
            var mine = new List<(int Event, bool Published)>();
            foreach (var e in chunk)
            {
                try { await publisher.PublishAsync(e, Ct); mine.Add((e, true)); }
                catch (InfrastructureException) { mine.Add((e, false)); }
            }
            return mine;
        }))).WaitAsync(Patience);

        var messages = bus.Messages;
        Assert.Equal(events, messages.SelectMany(m => m).Order());
        var failed = messages.Where((_, call) => call % 5 == 3).SelectMany(m => m).ToHashSet();
        Assert.All(outcomes.SelectMany(o => o), o => Assert.Equal(!failed.Contains(o.Event), o.Published));
        Assert.NotEmpty(failed);
        Assert.True(messages.Count < events.Count, "no events were published together");
        Assert.All(messages, m => Assert.InRange(m.Length, 1, 32));
        Assert.Equal(1, bus.MostAtOnce);
    }

    [Fact]
    public async Task Stopping_publishes_what_is_queued_and_then_refuses_events()
    {
        var bus = new GatedPublish<int[]>();
        var first = bus.Hold(0);
        var publisher = Publisher(bus);
        var waits = new List<Task> { publisher.PublishAsync(0, Ct) };
        await bus.Started(0).WaitAsync(Patience);
        waits.AddRange(Enumerable.Range(1, 3).Select(i => publisher.PublishAsync(i, Ct)));

        var stopping = publisher.DisposeAsync().AsTask();
        Assert.False(stopping.IsCompleted);
        first.SetResult();
        await stopping.WaitAsync(Patience);

        await Task.WhenAll(waits);
        Assert.Equal([[0], [1, 2, 3]], bus.Messages);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => publisher.PublishAsync(4, Ct));
    }

    [Fact]
    public async Task A_group_s_publish_is_a_span_of_its_own_linked_to_the_span_each_event_came_from_and_the_bus_publishes_inside_it()
    {
        using var items = new ActivitySource("Factory.UnitTests.GroupPublisher");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MessagingTelemetry.SourceName || s.Name == items.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        string? publishedInside = null;
        var bus = new GatedPublish<int[]>();
        var first = bus.Hold(0);
        await using var publisher = new GroupPublisher<int, int[]>((message, ct) =>
        {
            publishedInside ??= Activity.Current?.OperationName;
            return bus.PublishAsync(message, ct);
        }, events => events.ToArray());
        var lone = publisher.PublishAsync(0, Ct);
        await bus.Started(0).WaitAsync(Patience);

        // Two items' spans, each the root of a trace of its own, as two work items' are.
        var a = items.StartActivity("item a")!;
        var fromA = publisher.PublishAsync(1, Ct);
        a.Stop();
        var b = items.StartActivity("item b")!;
        var fromB = publisher.PublishAsync(2, Ct);
        b.Stop();
        Assert.NotEqual(a.TraceId, b.TraceId);
        first.SetResult();
        await Task.WhenAll(lone, fromA, fromB).WaitAsync(Patience);

        Assert.Equal("publish Int32[]", publishedInside);
        Activity group;
        lock (stopped) group = Assert.Single(stopped, s => s.Source.Name == MessagingTelemetry.SourceName && s.GetTagItem("factory.group_size") is 2);
        Assert.Equal(default, group.ParentSpanId);
        Assert.NotEqual(a.TraceId, group.TraceId);
        Assert.Equal(new[] { $"{a.TraceId}/{a.SpanId}", $"{b.TraceId}/{b.SpanId}" }.Order(), group.Links.Select(l => $"{l.Context.TraceId}/{l.Context.SpanId}").Order());
        Assert.Equal(ActivityKind.Producer, group.Kind);
    }
}
