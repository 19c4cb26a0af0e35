using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Fleet;
using Factory.ControlPlane.Runs;

namespace Factory.UnitTests;

/// <summary>FleetSummary.Of: pools, busy and idle executors with their builds, queue depths, oldest queued age, throughput.</summary>
public sealed class FleetSummaryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Build1 = new("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Build2 = new("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Build3 = new("00000000-0000-0000-0000-000000000003");

    private static FleetFacts Facts(IReadOnlyList<ExecutorRow>? executors = null, IReadOnlyList<BuildInFlightRow>? inFlight = null,
        Dictionary<string, long?>? depths = null, Dictionary<string, double>? throughput = null, Dictionary<string, string>? urls = null,
        params string[] pools) =>
        new(pools.Length == 0 ? ["amd64", "arm64"] : pools, executors ?? [], inFlight ?? [], depths ?? [], throughput ?? [], urls ?? [], Now);

    private static BuildInFlightRow InFlight(Guid build, string pool, string state, string? executor = null, double secondsAgo = 10) =>
        new("key-" + build.ToString()[^1], build, pool, state, 1, executor, Now.AddSeconds(-secondsAgo), Now.AddMinutes(1));

    [Fact]
    public void An_executor_with_a_build_leased_to_it_is_busy_and_shows_the_build_and_one_without_is_idle()
    {
        var view = FleetSummary.Of(Facts(
            executors: [new ExecutorRow("e1", "amd64", "h1", 2, 1, Now.AddSeconds(-3)), new ExecutorRow("e2", "amd64", "h2", 2, 0, Now.AddSeconds(-1))],
            inFlight: [InFlight(Build1, "amd64", BuildState.Running, "e1")],
            urls: new() { ["e1"] = "http://127.0.0.1:4001" }));

        var amd64 = Assert.Single(view.Pools, p => p.Pool == "amd64");
        Assert.Equal((1, 1), (amd64.BusyExecutors, amd64.IdleExecutors));
        var e1 = amd64.Executors[0];
        Assert.Equal(("e1", ExecutorView.BusyState, 1, 2), (e1.ExecutorId, e1.State, e1.Busy, e1.Concurrency));
        Assert.Equal([Build1], e1.CurrentBuilds);
        Assert.Equal(3, e1.SecondsSinceHeartbeat, precision: 3);
        Assert.Equal("http://127.0.0.1:4001", e1.MetricsUrl);
        var e2 = amd64.Executors[1];
        Assert.Equal((ExecutorView.IdleState, 0, (string?)null), (e2.State, e2.CurrentBuilds.Count, e2.MetricsUrl));
    }

    [Fact]
    public void A_build_started_before_the_heartbeat_said_so_already_makes_its_executor_busy()
    {
        var view = FleetSummary.Of(Facts(
            executors: [new ExecutorRow("e1", "amd64", "h1", 1, 0, Now)],
            inFlight: [InFlight(Build1, "amd64", BuildState.Running, "e1")]));

        var e1 = view.Pools.Single(p => p.Pool == "amd64").Executors.Single();
        Assert.Equal((ExecutorView.BusyState, 1), (e1.State, e1.Busy));
    }

    [Fact]
    public void The_oldest_queued_age_is_that_of_the_earliest_dispatched_build_still_queued_on_the_pool()
    {
        var view = FleetSummary.Of(Facts(inFlight:
        [
            InFlight(Build1, "amd64", BuildState.Queued, secondsAgo: 30),
            InFlight(Build2, "amd64", BuildState.Queued, secondsAgo: 90),
            InFlight(Build3, "amd64", BuildState.Running, "e1", secondsAgo: 600),
        ]));

        Assert.Equal(90, view.Pools.Single(p => p.Pool == "amd64").OldestQueuedSeconds);
        Assert.Null(view.Pools.Single(p => p.Pool == "arm64").OldestQueuedSeconds);
    }

    [Fact]
    public void Queue_depths_dead_letters_and_throughput_are_read_by_the_pool_s_queue_names()
    {
        var view = FleetSummary.Of(Facts(
            depths: new() { ["wq-amd64"] = 7, ["wq-amd64_error"] = 2, ["wq-arm64"] = null },
            throughput: new() { ["amd64"] = 4.5 }));

        var amd64 = view.Pools.Single(p => p.Pool == "amd64");
        Assert.Equal((7L, 2L, 4.5), (amd64.QueueDepth, amd64.DeadLetters, amd64.ThroughputPerMinute));
        var arm64 = view.Pools.Single(p => p.Pool == "arm64");
        Assert.Equal(((long?)null, (long?)null, 0.0), (arm64.QueueDepth, arm64.DeadLetters, arm64.ThroughputPerMinute));
    }

    [Fact]
    public void A_pool_only_an_executor_serves_is_shown_and_pools_come_in_name_order()
    {
        var view = FleetSummary.Of(Facts(executors: [new ExecutorRow("sim-1", "sim", "h", 100, 3, Now)], pools: ["gpu", "amd64"]));

        Assert.Equal(["amd64", "gpu", "sim"], view.Pools.Select(p => p.Pool));
        Assert.Equal(Now, view.GeneratedAt);
    }
}
