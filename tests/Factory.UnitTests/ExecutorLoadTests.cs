using Factory.Executor;

namespace Factory.UnitTests;

/// <summary>ExecutorLoad: which builds run here now, per pool, and a build entered once at a time.</summary>
public sealed class ExecutorLoadTests
{
    [Fact]
    public void A_build_already_running_in_this_process_cannot_be_entered_again_until_it_leaves()
    {
        var load = new ExecutorLoad();
        var build = Guid.NewGuid();

        using var first = load.TryEnter(build, "amd64");
        Assert.NotNull(first);
        Assert.Null(load.TryEnter(build, "amd64"));
        Assert.Null(load.TryEnter(build, "arm64"));

        first.Dispose();
        using var again = load.TryEnter(build, "amd64");
        Assert.NotNull(again);
    }

    [Fact]
    public void Running_builds_are_listed_per_pool_and_counted_once_each()
    {
        var load = new ExecutorLoad();
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        using var x = load.TryEnter(a, "amd64");
        using var y = load.TryEnter(b, "arm64");
        var z = load.TryEnter(c, "amd64")!;

        Assert.Equal(3, load.Busy);
        Assert.Equal(new[] { a, c }.Order(), load.RunningBuilds("amd64"));
        Assert.Equal([b], load.RunningBuilds("arm64"));
        Assert.Empty(load.RunningBuilds("gpu"));

        z.Dispose();
        z.Dispose();
        Assert.Equal(2, load.Busy);
        Assert.Equal([a], load.RunningBuilds("amd64"));
    }

    [Fact]
    public async Task Of_many_concurrent_deliveries_of_one_build_exactly_one_enters()
    {
        var load = new ExecutorLoad();
        var build = Guid.NewGuid();
        using var start = new ManualResetEventSlim();

        var deliveries = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return load.TryEnter(build, "amd64");
        })).ToList();
        start.Set();
        var entered = await Task.WhenAll(deliveries);

        Assert.Single(entered, e => e is not null);
        Assert.Equal(1, load.Busy);
    }
}
