using Factory.Executor;

namespace Factory.UnitTests;

/// <summary>ExecutorExitPolicy: when a short-lived executor (one Kubernetes Job per work item) takes no more and exits.</summary>
public sealed class ExecutorExitPolicyTests
{
    private static readonly TimeSpan Long = TimeSpan.FromDays(1);

    [Fact]
    public void By_default_an_executor_never_refuses_an_item_nor_exits()
    {
        var policy = ExecutorExitPolicy.From(new ExecutorOptions());

        Assert.False(policy.Enabled);
        Assert.False(policy.Refuses(handled: 1000, running: 5));
        Assert.Null(policy.ExitReason(handled: 1000, running: 0, idle: Long));
    }

    [Fact]
    public void After_its_one_item_an_executor_refuses_the_next_and_exits_once_the_item_is_done()
    {
        var policy = ExecutorExitPolicy.From(new ExecutorOptions { ExitAfterItems = 1 });

        Assert.False(policy.Refuses(handled: 0, running: 0));
        Assert.True(policy.Refuses(handled: 0, running: 1));
        Assert.Null(policy.ExitReason(handled: 0, running: 1, idle: Long));
        Assert.True(policy.Refuses(handled: 1, running: 0));
        Assert.Equal("handled 1 work item (Executor:ExitAfterItems=1)", policy.ExitReason(handled: 1, running: 0, idle: TimeSpan.Zero));
        Assert.Null(policy.ExitReason(handled: 0, running: 0, idle: Long)); // no idle limit: it waits for its item
    }

    [Fact]
    public void With_a_limit_of_three_items_two_run_at_once_and_the_third_is_still_taken()
    {
        var policy = new ExecutorExitPolicy(3, TimeSpan.Zero);

        Assert.False(policy.Refuses(handled: 1, running: 1));
        Assert.True(policy.Refuses(handled: 1, running: 2));
        Assert.Null(policy.ExitReason(handled: 2, running: 1, idle: TimeSpan.Zero));
        Assert.Equal("handled 3 work items (Executor:ExitAfterItems=3)", policy.ExitReason(handled: 3, running: 0, idle: TimeSpan.Zero));
    }

    [Fact]
    public void An_idle_executor_exits_after_the_idle_time_but_never_while_an_item_runs()
    {
        var policy = ExecutorExitPolicy.From(new ExecutorOptions { ExitWhenIdleSeconds = 60 });

        Assert.True(policy.Enabled);
        Assert.False(policy.Refuses(handled: 50, running: 3));
        Assert.Null(policy.ExitReason(handled: 0, running: 0, idle: TimeSpan.FromSeconds(59)));
        Assert.Equal("no work item for 60 s (Executor:ExitWhenIdleSeconds=60)", policy.ExitReason(handled: 0, running: 0, idle: TimeSpan.FromSeconds(60)));
        Assert.Null(policy.ExitReason(handled: 0, running: 1, idle: Long));
    }
}
