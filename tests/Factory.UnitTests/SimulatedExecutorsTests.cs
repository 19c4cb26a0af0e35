using Factory.Executor.Simulator;

namespace Factory.UnitTests;

/// <summary>The simulator's executors: each its own id, one build at a time, a second delivery of a running build dropped.</summary>
public sealed class SimulatedExecutorsTests
{
    [Fact]
    public void Every_simulated_executor_has_its_own_id_named_as_simulated()
    {
        var executors = new SimulatedExecutors(250, "host", 1234);

        var ids = executors.Snapshot().Select(e => e.Id).ToList();

        Assert.Equal(250, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(SimulatedExecutors.IsSimulated(id), id));
        Assert.Equal("sim-host-1234-0000", ids[0]);
        Assert.False(SimulatedExecutors.IsSimulated("host-1234"));
    }

    [Fact]
    public void Each_build_takes_a_free_executor_which_shows_it_running_until_it_is_released()
    {
        var executors = new SimulatedExecutors(3, "host", 1);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        using var first = executors.TryTake(a)!;
        var second = executors.TryTake(b)!;
        using var third = executors.TryTake(c)!;

        Assert.Equal(3, new[] { first.Id, second.Id, third.Id }.Distinct().Count());
        Assert.Equal(a, executors.Snapshot().Single(e => e.Id == first.Id).Build);
        Assert.Throws<InvalidOperationException>(() => executors.TryTake(Guid.NewGuid()));

        second.Dispose();
        second.Dispose();
        Assert.Null(executors.Snapshot().Single(e => e.Id == second.Id).Build);
        using var fourth = executors.TryTake(Guid.NewGuid())!;
        Assert.Equal(second.Id, fourth.Id);
    }

    [Fact]
    public void A_second_delivery_of_a_build_one_of_them_runs_is_refused_and_runs_again_once_it_finished()
    {
        var executors = new SimulatedExecutors(4, "host", 1);
        var build = Guid.NewGuid();

        var running = executors.TryTake(build);
        Assert.NotNull(running);
        Assert.Null(executors.TryTake(build));

        running.Dispose();
        using var again = executors.TryTake(build);
        Assert.NotNull(again);
    }
}
