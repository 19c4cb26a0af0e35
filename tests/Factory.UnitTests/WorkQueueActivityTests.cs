using Factory.Executor;
using Factory.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

/// <summary>WorkQueueActivity and its bus observer: what a short-lived executor counts, and that it stops once done.</summary>
public sealed class WorkQueueActivityTests
{
    private static readonly ExecutorOptions AmdExecutor = new() { Pools = ["amd64"], ExitAfterItems = 1, ExitWhenIdleSeconds = 60 };

    [Fact]
    public void Only_deliveries_on_the_executors_own_work_queues_count()
    {
        var activity = new WorkQueueActivity(AmdExecutor, ExecutorExitPolicy.From(AmdExecutor), new FakeTimeProvider());

        Assert.True(activity.IsWorkQueue(new Uri("rabbitmq://rabbitmq/factory/wq-amd64")));
        Assert.True(activity.IsWorkQueue(new Uri("rabbitmq://rabbitmq/wq-amd64")));
        Assert.False(activity.IsWorkQueue(new Uri("rabbitmq://rabbitmq/factory/wq-arm64")));
        Assert.False(activity.IsWorkQueue(new Uri("rabbitmq://rabbitmq/factory/wq-amd64_error")));
        Assert.False(activity.IsWorkQueue(new Uri("rabbitmq://rabbitmq/factory/host_executor_bus_abc?temporary=true")));
    }

    [Fact]
    public void One_item_is_taken_the_next_refused_and_the_executor_exits_when_the_item_is_done()
    {
        var clock = new FakeTimeProvider();
        var activity = new WorkQueueActivity(AmdExecutor, ExecutorExitPolicy.From(AmdExecutor), clock);

        Assert.True(activity.TryStart());
        Assert.False(activity.TryStart());
        clock.Advance(TimeSpan.FromMinutes(30)); // a long build: running, so never idle
        Assert.Null(activity.ExitReason());
        activity.Finish();
        Assert.Equal("handled 1 work item (Executor:ExitAfterItems=1)", activity.ExitReason());
        Assert.False(activity.TryStart());
    }

    [Fact]
    public void Idleness_counts_from_the_start_and_from_the_last_item_done()
    {
        var options = new ExecutorOptions { Pools = ["gpu"], ExitWhenIdleSeconds = 60 };
        var clock = new FakeTimeProvider();
        var activity = new WorkQueueActivity(options, ExecutorExitPolicy.From(options), clock);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(activity.ExitReason());
        Assert.True(activity.TryStart());
        clock.Advance(TimeSpan.FromMinutes(10));
        activity.Finish();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(activity.ExitReason());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("no work item for 60 s (Executor:ExitWhenIdleSeconds=60)", activity.ExitReason());
    }

    [Fact]
    public async Task On_the_bus_the_executor_stops_itself_once_its_one_delivery_on_its_work_queue_was_consumed()
    {
        var options = new ExecutorOptions { Pools = ["amd64"], ExitAfterItems = 1 };
        var lifetime = new StoppableLifetime();
        await using var provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IHostApplicationLifetime>(lifetime)
            .AddExecutorExit(options)
            .AddMassTransitTestHarness(x => x.AddConsumer<ExitProbeConsumer>().Endpoint(e => e.Name = "wq-amd64"))
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start(); // with the hosted services: ExitWhenDoneService among them
        await Task.Delay(200);
        Assert.False(lifetime.StopRequested);

        await harness.Bus.Publish(new ExitProbe());

        Assert.True(await harness.Consumed.Any<ExitProbe>(), "the probe was not consumed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!lifetime.StopRequested && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(lifetime.StopRequested, "the executor did not stop after its one item");
        Assert.Equal("handled 1 work item (Executor:ExitAfterItems=1)", provider.GetRequiredService<WorkQueueActivity>().ExitReason());
    }
}
