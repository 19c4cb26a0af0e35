using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.UnitTests.Support;

namespace Factory.IntegrationTests.PlanState;

/// <summary>
/// What every plan-state store must do, run against the embedded default (SQLite) and the fleet's PostgreSQL alike:
/// store plans, apply dispatch decisions, track builds in flight with their leases, complete builds, and hold
/// its invariants under concurrent passes (one build per key, budgets never exceeded, no item left on a finished build).
/// </summary>
public abstract class PlanStateStoreContract
{
    protected abstract IPlanStateStore Store { get; }
    protected static CancellationToken Ct => CancellationToken.None;
    private static readonly LeaseOptions Leases = new() { Send = TimeSpan.FromSeconds(30), Run = TimeSpan.FromSeconds(60), Queued = TimeSpan.FromSeconds(90) };
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static DispatchDecider Policy(IReadOnlyList<CompatibilityRecord>? records = null) => (snapshot, _) =>
        Task.FromResult(DispatchPolicy.Decide(snapshot with
        {
            Records = (records ?? []).Select(RecordSummary.Of).GroupBy(r => r.IdempotencyKey).ToDictionary(g => g.Key, g => (IReadOnlyList<RecordSummary>)g.ToList()),
        }, Guid.NewGuid));

    private async Task<Guid> PlanAsync(IEnumerable<WorkItem> items, int? concurrency = null, int priority = 0, DateTimeOffset? at = null, Guid? reusedFirst = null)
    {
        var id = Guid.NewGuid();
        var list = items.Select((item, i) => new NewPlanItem(item, i == 0 ? reusedFirst : null)).ToList();
        await Store.CreateRunAsync(new PlanRunRow(id, "plan", "app", priority, concurrency, at ?? T0), list, at ?? T0, Ct);
        return id;
    }

    private static IEnumerable<WorkItem> Items(params string[] keys) => keys.Select(k => WorkItems.Make(k));

    /// <summary>Passes over the scope until no plan needs another at once (as WorkDispatcher does, without sending).</summary>
    private async Task<List<DispatchOutcome>> PumpAsync(DispatchScope scope, DateTimeOffset? now = null, DispatchDecider? decide = null, int batch = 5000)
    {
        var outcomes = new List<DispatchOutcome>();
        for (var pass = 0; pass < 50 && !scope.IsEmpty; pass++)
        {
            var outcome = await Store.DispatchAsync(scope, decide ?? Policy(), now ?? T0, Leases, batch, Ct);
            outcomes.Add(outcome);
            scope = DispatchScope.Of(outcome.Again);
        }
        return outcomes;
    }

    /// <summary>A one-item plan whose build is claimed and confirmed sent at T0.</summary>
    private async Task<(Guid Run, ExecuteWorkItem Claim)> SentAsync(string key)
    {
        var run = await PlanAsync(Items(key));
        var claim = Assert.Single((await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox));
        await Store.MarkSentAsync([claim.BuildId], T0, Leases, Ct);
        return (run, claim);
    }

    private static WorkItemStarted StartOf(ExecuteWorkItem claim, string executor, int seconds) => new()
    {
        BuildId = claim.BuildId, PlanId = "plan", IdempotencyKey = claim.Item.IdempotencyKey, Pool = "amd64", ExecutorId = executor, StartedAt = T0.AddSeconds(seconds),
    };

    private static WorkItemHandedBack HandBackOf(ExecuteWorkItem claim, string executor, int seconds) => new()
    {
        BuildId = claim.BuildId, PlanId = "plan", IdempotencyKey = claim.Item.IdempotencyKey, Pool = "amd64", ExecutorId = executor, Attempt = claim.Attempt,
        HandedBackAt = T0.AddSeconds(seconds),
    };

    private async Task<Dictionary<int, PlanItemRow>> ItemsOfAsync(Guid run) => (await Store.GetItemsAsync(run, Ct)).ToDictionary(i => i.Seq);

    /// <summary>Every item queued or running waits on a build that is in flight.</summary>
    private async Task AssertNoItemOnAFinishedBuildAsync(params Guid[] runs)
    {
        var inFlight = (await Store.ListInFlightAsync(Ct)).Select(b => b.BuildId).ToHashSet();
        foreach (var run in runs)
            foreach (var item in await Store.GetItemsAsync(run, Ct))
                if (item.State is ItemState.Queued or ItemState.Running)
                    Assert.True(inFlight.Contains(item.BuildId!.Value), $"item {item.Seq} of {run} is {item.State} on build {item.BuildId}, which is not in flight");
    }

    [Fact]
    public async Task A_stored_plan_has_its_items_pending_in_order_and_those_reused_at_intake_done()
    {
        var reused = Guid.NewGuid();
        var run = await PlanAsync(Items("a", "b", "c"), concurrency: 2, priority: 7, reusedFirst: reused);

        var stored = (await Store.GetRunAsync(run, Ct))!;
        Assert.Equal(("plan", "app", 7, (int?)2, T0, (DateTimeOffset?)null), (stored.PlanId, stored.ManifestId, stored.Priority, stored.Concurrency, stored.SubmittedAt, stored.CompletedAt));
        var items = await Store.GetItemsAsync(run, Ct);
        Assert.Equal(["a", "b", "c"], items.Select(i => i.Item.IdempotencyKey));
        Assert.Equal([ItemState.Reused, ItemState.Pending, ItemState.Pending], items.Select(i => i.State));
        Assert.Equal((reused, DispatchKind.Reused, T0), (items[0].BuildId!.Value, items[0].DispatchKind!, items[0].FinishedAt!.Value));
        var counts = await Store.CountItemsAsync(run, Ct);
        Assert.Equal((3, 2, 1, false), (counts.Total, counts.Pending, counts.Reused, counts.Done));
        Assert.Null(await Store.GetRunAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Cancelling_a_plan_cancels_its_open_items_completes_it_and_its_build_in_flight_completes_none_of_them()
    {
        var run = await PlanAsync(Items("a", "b", "c"), concurrency: 1, reusedFirst: Guid.NewGuid());
        await PumpAsync(DispatchScope.Of([run]));
        var claimed = (await ItemsOfAsync(run))[1];
        Assert.Equal(ItemState.Queued, claimed.State);

        Assert.Equal(2, await Store.CancelRunAsync(run, T0.AddMinutes(1), Ct));

        var items = await ItemsOfAsync(run);
        Assert.Equal([ItemState.Reused, ItemState.Cancelled, ItemState.Cancelled], items.Values.OrderBy(i => i.Seq).Select(i => i.State));
        Assert.Equal(T0.AddMinutes(1), (await Store.GetRunAsync(run, Ct))!.CompletedAt);
        Assert.Equal(2, (await Store.CountItemsAsync(run, Ct)).Cancelled);
        await Store.CompleteBuildsAsync([new BuildCompletion(claimed.BuildId!.Value, "b", ItemState.Passed)], T0.AddMinutes(2), Ct);
        Assert.Equal(ItemState.Cancelled, (await ItemsOfAsync(run))[1].State);
        await PumpAsync(DispatchScope.Of([run]));
        Assert.Equal(ItemState.Cancelled, (await ItemsOfAsync(run))[2].State);
        Assert.Equal(0, await Store.CancelRunAsync(run, T0.AddMinutes(3), Ct));
        Assert.Null(await Store.CancelRunAsync(Guid.NewGuid(), T0, Ct));
    }

    [Fact]
    public async Task A_plan_whose_items_were_all_reused_is_complete_when_stored()
    {
        var run = Guid.NewGuid();
        await Store.CreateRunAsync(new PlanRunRow(run, "plan", "app", 0, null, T0), [new NewPlanItem(WorkItems.Make("a"), Guid.NewGuid())], T0, Ct);
        Assert.Equal(T0, (await Store.GetRunAsync(run, Ct))!.CompletedAt);
        Assert.Contains(run, (await Store.ListRunsAsync(10, Ct)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_pass_claims_a_build_per_item_queues_the_items_and_hands_back_the_builds_to_send()
    {
        var run = await PlanAsync(Items("a", "b"));

        var outcome = Assert.Single(await PumpAsync(DispatchScope.Of([run])));

        Assert.Equal(["a", "b"], outcome.Outbox.Select(c => c.Item.IdempotencyKey).Order());
        var items = await ItemsOfAsync(run);
        Assert.All(items.Values, i => Assert.Equal((ItemState.Queued, DispatchKind.Build, T0), (i.State, i.DispatchKind!, i.QueuedAt!.Value)));
        Assert.Equal(outcome.Outbox.Select(c => c.BuildId).Order(), items.Values.Select(i => i.BuildId!.Value).Order());
        var inFlight = await Store.ListInFlightAsync(Ct);
        Assert.Equal(2, inFlight.Count);
        Assert.All(inFlight, b => Assert.Equal((BuildState.Unsent, 1, T0 + Leases.Send, "amd64"), (b.State, b.Attempt, b.LeaseExpiresAt, b.Pool)));
        Assert.Empty((await PumpAsync(DispatchScope.All)).SelectMany(o => o.Outbox));
    }

    [Fact]
    public async Task Sent_builds_are_queued_under_the_queued_lease_and_a_start_leases_them_to_their_executor()
    {
        var run = await PlanAsync(Items("a", "b"));
        var outbox = (await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox).ToList();
        await Store.MarkSentAsync(outbox.Select(c => c.BuildId).ToList(), T0.AddSeconds(1), Leases, Ct);
        var started = outbox[0];
        await Store.MarkStartedAsync([new WorkItemStarted
        {
            BuildId = started.BuildId, PlanId = "plan", IdempotencyKey = started.Item.IdempotencyKey, Pool = "amd64", ExecutorId = "ex-1", StartedAt = T0.AddSeconds(2),
        }], T0.AddSeconds(3), Leases, Ct);
        // A late send confirmation does not undo the start.
        await Store.MarkSentAsync([started.BuildId], T0.AddSeconds(4), Leases, Ct);

        var builds = (await Store.ListInFlightAsync(Ct)).ToDictionary(b => b.BuildId);
        Assert.Equal((BuildState.Running, "ex-1", T0.AddSeconds(3) + Leases.Run), (builds[started.BuildId].State, builds[started.BuildId].ExecutorId, builds[started.BuildId].LeaseExpiresAt));
        Assert.Equal((BuildState.Queued, T0.AddSeconds(1) + Leases.Queued), (builds[outbox[1].BuildId].State, builds[outbox[1].BuildId].LeaseExpiresAt));
        var item = (await Store.GetItemsAsync(run, Ct)).Single(i => i.BuildId == started.BuildId);
        Assert.Equal((ItemState.Running, "ex-1", T0.AddSeconds(2), (int?)1), (item.State, item.ExecutorId, item.StartedAt!.Value, item.Attempt));

        // The build sent again after its lease lapsed starts as attempt 2 elsewhere: the item says so.
        await Store.MarkStartedAsync([new WorkItemStarted
        {
            BuildId = started.BuildId, PlanId = "plan", IdempotencyKey = started.Item.IdempotencyKey, Pool = "amd64", ExecutorId = "ex-2", StartedAt = T0.AddSeconds(70), Attempt = 2,
        }], T0.AddSeconds(71), Leases, Ct);
        item = (await Store.GetItemsAsync(run, Ct)).Single(i => i.BuildId == started.BuildId);
        Assert.Equal(("ex-2", T0.AddSeconds(70), (int?)2), (item.ExecutorId, item.StartedAt!.Value, item.Attempt));
    }

    [Fact]
    public async Task A_build_handed_back_by_its_executor_waits_as_queued_unless_it_started_elsewhere_meanwhile()
    {
        var run = await PlanAsync(Items("a", "b"));
        var outbox = (await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox).OrderBy(c => c.Item.IdempotencyKey).ToList();
        await Store.MarkSentAsync(outbox.Select(c => c.BuildId).ToList(), T0, Leases, Ct);
        WorkItemStarted Start(ExecuteWorkItem c, string executor, int seconds) => new()
        {
            BuildId = c.BuildId, PlanId = "plan", IdempotencyKey = c.Item.IdempotencyKey, Pool = "amd64", ExecutorId = executor, StartedAt = T0.AddSeconds(seconds),
        };
        WorkItemHandedBack Back(ExecuteWorkItem c, string executor, int attempt = 1) => new()
        {
            BuildId = c.BuildId, PlanId = "plan", IdempotencyKey = c.Item.IdempotencyKey, Pool = "amd64", ExecutorId = executor, Attempt = attempt,
            HandedBackAt = T0.AddSeconds(20),
        };
        await Store.MarkStartedAsync([Start(outbox[0], "ex-1", 1), Start(outbox[1], "ex-1", 1)], T0.AddSeconds(1), Leases, Ct);
        // b's delivery went back to the queue and ex-2 started it before ex-1's notice arrived.
        await Store.MarkStartedAsync([Start(outbox[1], "ex-2", 15)], T0.AddSeconds(15), Leases, Ct);

        await Store.MarkHandedBackAsync([Back(outbox[0], "ex-1"), Back(outbox[1], "ex-1"), Back(outbox[0], "ex-1", attempt: 2)], T0.AddSeconds(20), Leases, Ct);

        // A heartbeat ex-1 sent before it handed a back, arriving after the notice, does not lease a to it again.
        await Store.RecordHeartbeatsAsync([new ExecutorHeartbeat
        {
            ExecutorId = "ex-1", Pool = "amd64", Host = "h", Concurrency = 1, Busy = 1, SentAt = T0.AddSeconds(19), RunningBuilds = [outbox[0].BuildId],
        }], T0.AddSeconds(21), Leases, Ct);

        var builds = (await Store.ListInFlightAsync(Ct)).ToDictionary(b => b.IdempotencyKey);
        Assert.Equal((BuildState.Queued, "ex-1", T0.AddSeconds(20) + Leases.Queued, 1),
            (builds["a"].State, builds["a"].ExecutorId, builds["a"].LeaseExpiresAt, builds["a"].Attempt));
        Assert.Equal((BuildState.Running, "ex-2", T0.AddSeconds(15) + Leases.Run), (builds["b"].State, builds["b"].ExecutorId, builds["b"].LeaseExpiresAt));
        var items = (await Store.GetItemsAsync(run, Ct)).ToDictionary(i => i.Item.IdempotencyKey);
        Assert.Equal((ItemState.Queued, ItemState.Running), (items["a"].State, items["b"].State));

        // The next executor to start it holds its lease; a late copy of the old notice does not take it away.
        await Store.MarkStartedAsync([Start(outbox[0], "ex-3", 30)], T0.AddSeconds(30), Leases, Ct);
        await Store.MarkHandedBackAsync([Back(outbox[0], "ex-1")], T0.AddSeconds(31), Leases, Ct);
        builds = (await Store.ListInFlightAsync(Ct)).ToDictionary(b => b.IdempotencyKey);
        Assert.Equal((BuildState.Running, "ex-3"), (builds["a"].State, builds["a"].ExecutorId));
        Assert.Equal(ItemState.Running, (await ItemsOfAsync(run)).Values.Single(i => i.Item.IdempotencyKey == "a").State);
    }

    [Fact]
    public async Task A_start_that_arrives_after_its_executor_handed_the_build_back_leaves_it_queued()
    {
        var (run, claim) = await SentAsync("a");
        WorkItemStarted Start(string executor, int seconds) => StartOf(claim, executor, seconds);
        ExecutorHeartbeat Beat(string executor, int seconds) => new()
        {
            ExecutorId = executor, Pool = "amd64", Host = "h", Concurrency = 1, Busy = 1, SentAt = T0.AddSeconds(seconds), RunningBuilds = [claim.BuildId],
        };

        // Starts and hand-backs travel on different queues: ex-1's notice is consumed before the start it follows.
        await Store.MarkHandedBackAsync([HandBackOf(claim, "ex-1", 20)], T0.AddSeconds(21), Leases, Ct);
        await Store.MarkStartedAsync([Start("ex-1", 1)], T0.AddSeconds(22), Leases, Ct);
        await Store.RecordHeartbeatsAsync([Beat("ex-1", 19)], T0.AddSeconds(23), Leases, Ct);

        var build = Assert.Single(await Store.ListInFlightAsync(Ct));
        Assert.Equal((BuildState.Queued, T0 + Leases.Queued), (build.State, build.LeaseExpiresAt));
        Assert.Equal(ItemState.Queued, (await ItemsOfAsync(run))[0].State);

        // The delivery it handed back starts elsewhere, and that start and its heartbeats lease it as usual.
        await Store.MarkStartedAsync([Start("ex-2", 30)], T0.AddSeconds(31), Leases, Ct);
        build = Assert.Single(await Store.ListInFlightAsync(Ct));
        Assert.Equal((BuildState.Running, "ex-2", T0.AddSeconds(31) + Leases.Run), (build.State, build.ExecutorId, build.LeaseExpiresAt));
        await Store.RecordHeartbeatsAsync([Beat("ex-2", 40)], T0.AddSeconds(41), Leases, Ct);
        Assert.Equal(T0.AddSeconds(41) + Leases.Run, Assert.Single(await Store.ListInFlightAsync(Ct)).LeaseExpiresAt);
        var item = (await ItemsOfAsync(run))[0];
        Assert.Equal((ItemState.Running, "ex-2", T0.AddSeconds(30)), (item.State, item.ExecutorId, item.StartedAt!.Value));
    }

    [Fact]
    public async Task An_earlier_start_that_arrives_late_does_not_take_the_build_from_the_executor_that_started_it_since()
    {
        var (run, claim) = await SentAsync("a");
        WorkItemStarted Start(string executor, int seconds) => StartOf(claim, executor, seconds);

        await Store.MarkStartedAsync([Start("ex-2", 15)], T0.AddSeconds(16), Leases, Ct);
        await Store.MarkStartedAsync([Start("ex-1", 1)], T0.AddSeconds(17), Leases, Ct);
        // So ex-1's notice that it handed its delivery back does not queue the build ex-2 is running.
        await Store.MarkHandedBackAsync([HandBackOf(claim, "ex-1", 12)], T0.AddSeconds(18), Leases, Ct);

        var build = Assert.Single(await Store.ListInFlightAsync(Ct));
        Assert.Equal((BuildState.Running, "ex-2", T0.AddSeconds(16) + Leases.Run), (build.State, build.ExecutorId, build.LeaseExpiresAt));
        var item = (await ItemsOfAsync(run))[0];
        Assert.Equal((ItemState.Running, "ex-2"), (item.State, item.ExecutorId));
    }

    [Fact]
    public async Task A_second_plan_wanting_a_key_in_flight_attaches_and_one_completion_finishes_both()
    {
        var first = await PlanAsync(Items("a"));
        var claim = Assert.Single((await PumpAsync(DispatchScope.Of([first]))).SelectMany(o => o.Outbox));
        var second = await PlanAsync(Items("a"), at: T0.AddSeconds(1));
        Assert.Empty((await PumpAsync(DispatchScope.Of([second]))).SelectMany(o => o.Outbox));
        Assert.Equal((ItemState.Queued, DispatchKind.Attached, claim.BuildId), ((await ItemsOfAsync(second))[0].State, (await ItemsOfAsync(second))[0].DispatchKind!, (await ItemsOfAsync(second))[0].BuildId!.Value));

        var outcome = await Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, "a", ItemState.Passed)], T0.AddMinutes(1), Ct);

        Assert.Equal(new[] { first, second }.Order(), outcome.CompletedRuns.Order());
        Assert.Empty(await Store.ListInFlightAsync(Ct));
        foreach (var run in new[] { first, second })
        {
            Assert.Equal((ItemState.Passed, T0.AddMinutes(1)), ((await ItemsOfAsync(run))[0].State, (await ItemsOfAsync(run))[0].FinishedAt!.Value));
            Assert.Equal(T0.AddMinutes(1), (await Store.GetRunAsync(run, Ct))!.CompletedAt);
        }
    }

    [Fact]
    public async Task A_budgeted_plan_gets_more_builds_only_as_its_builds_complete()
    {
        var run = await PlanAsync(Items("a", "b", "c", "d", "e"), concurrency: 2);
        var firstTwo = (await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox).ToList();
        Assert.Equal(["a", "b"], firstTwo.Select(c => c.Item.IdempotencyKey));
        Assert.Empty((await PumpAsync(DispatchScope.All)).SelectMany(o => o.Outbox));

        var outcome = await Store.CompleteBuildsAsync([new BuildCompletion(firstTwo[0].BuildId, "a", ItemState.Failed)], T0.AddMinutes(1), Ct);

        Assert.Equal([run], outcome.Unblocked);
        Assert.Equal("c", Assert.Single((await PumpAsync(DispatchScope.Of(outcome.Unblocked))).SelectMany(o => o.Outbox)).Item.IdempotencyKey);
        var counts = await Store.CountItemsAsync(run, Ct);
        Assert.Equal((1, 2, 2), (counts.Failed, counts.Queued, counts.Pending));
    }

    [Fact]
    public async Task A_completion_unblocks_plans_waiting_on_its_key_for_another_suite()
    {
        var first = await PlanAsync(Items("a"));
        var claim = Assert.Single((await PumpAsync(DispatchScope.Of([first]))).SelectMany(o => o.Outbox));
        var other = await PlanAsync([WorkItems.Make("a", suiteHash: "suite2")]);
        Assert.Empty((await PumpAsync(DispatchScope.Of([other]))).SelectMany(o => o.Outbox));
        Assert.Equal(ItemState.Pending, (await ItemsOfAsync(other))[0].State);

        var outcome = await Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, "a", ItemState.Passed)], T0.AddMinutes(1), Ct);

        Assert.Equal([other], outcome.Unblocked);
        var retest = Assert.Single((await PumpAsync(DispatchScope.Of(outcome.Unblocked))).SelectMany(o => o.Outbox));
        Assert.Equal("suite2", retest.Item.TestSuiteHash);
    }

    [Fact]
    public async Task Items_past_their_deadline_are_expired_and_reusable_ones_reused_without_a_claim()
    {
        var passed = SampleRecords.Make(key: "b");
        var run = await PlanAsync([WorkItems.Make("a", deadline: T0.AddSeconds(-1)), WorkItems.Make("b")]);

        var outcome = Assert.Single(await PumpAsync(DispatchScope.Of([run]), decide: Policy([passed])));

        Assert.Empty(outcome.Outbox);
        var expired = Assert.Single(outcome.Expired);
        Assert.Equal("a", expired.Item.IdempotencyKey);
        Assert.Equal([run], outcome.CompletedRuns);
        var items = await ItemsOfAsync(run);
        Assert.Equal((ItemState.Expired, DispatchKind.Expired, expired.BuildId), (items[0].State, items[0].DispatchKind!, items[0].BuildId!.Value));
        Assert.Equal((ItemState.Reused, passed.BuildId), (items[1].State, items[1].BuildId!.Value));
        Assert.Empty(await Store.ListInFlightAsync(Ct));
    }

    [Fact]
    public async Task A_dead_lettered_build_finishes_its_items_and_a_record_after_a_replay_completes_them()
    {
        var run = await PlanAsync(Items("a"));
        var claim = Assert.Single((await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox));

        await Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, "a", ItemState.DeadLettered, "{\"error\": \"engine down\"}")], T0.AddMinutes(1), Ct);
        var dead = (await ItemsOfAsync(run))[0];
        Assert.Equal(ItemState.DeadLettered, dead.State);
        Assert.Contains("engine down", dead.Error);
        Assert.NotNull((await Store.GetRunAsync(run, Ct))!.CompletedAt);

        // The same dead letter again changes nothing; the replayed build's record completes the item.
        await Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, "a", ItemState.DeadLettered, "{}")], T0.AddMinutes(2), Ct);
        await Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, "a", ItemState.Passed)], T0.AddMinutes(3), Ct);
        Assert.Equal((ItemState.Passed, T0.AddMinutes(3)), ((await ItemsOfAsync(run))[0].State, (await ItemsOfAsync(run))[0].FinishedAt!.Value));
    }

    [Fact]
    public async Task A_start_that_arrives_after_the_record_keeps_the_item_finished()
    {
        var run = await PlanAsync(Items("a"));
        var claim = Assert.Single((await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox));
        await Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, "a", ItemState.Passed)], T0.AddMinutes(1), Ct);

        await Store.MarkStartedAsync([new WorkItemStarted { BuildId = claim.BuildId, PlanId = "plan", IdempotencyKey = "a", Pool = "amd64", ExecutorId = "ex", StartedAt = T0.AddSeconds(5) }],
            T0.AddMinutes(2), Leases, Ct);

        var item = (await ItemsOfAsync(run))[0];
        Assert.Equal((ItemState.Passed, T0.AddSeconds(5)), (item.State, item.StartedAt!.Value));
        Assert.Empty(await Store.ListInFlightAsync(Ct));
    }

    [Fact]
    public async Task Heartbeats_list_executors_and_renew_the_leases_of_the_builds_they_run()
    {
        var run = await PlanAsync(Items("a", "b"));
        var outbox = (await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox).ToList();
        ExecutorHeartbeat Beat(string id, string pool, DateTimeOffset at, params Guid[] running) =>
            new() { ExecutorId = id, Pool = pool, Host = "h", Concurrency = 2, Busy = running.Length, SentAt = at, RunningBuilds = running };

        await Store.RecordHeartbeatsAsync([Beat("ex-1", "amd64", T0, outbox[0].BuildId), Beat("ex-1", "amd64", T0.AddSeconds(1), outbox[0].BuildId),
            Beat("ex-2", "arm64", T0)], T0.AddSeconds(10), Leases, Ct);
        await Store.RecordHeartbeatsAsync([Beat("ex-3", "amd64", T0)], T0.AddSeconds(-30), Leases, Ct);

        var executors = await Store.ListExecutorsAsync(T0, Ct);
        Assert.Equal([("ex-1", "amd64", 1), ("ex-2", "arm64", 0)], executors.Select(e => (e.ExecutorId, e.Pool, e.Busy)));
        var builds = (await Store.ListInFlightAsync(Ct)).ToDictionary(b => b.BuildId);
        Assert.Equal((BuildState.Running, "ex-1", T0.AddSeconds(10) + Leases.Run), (builds[outbox[0].BuildId].State, builds[outbox[0].BuildId].ExecutorId, builds[outbox[0].BuildId].LeaseExpiresAt));
        Assert.Equal(BuildState.Unsent, builds[outbox[1].BuildId].State);
    }

    [Fact]
    public async Task Lapsed_leases_are_sent_again_as_the_next_attempt_completed_from_a_record_or_extended_as_decided()
    {
        var run = await PlanAsync(Items("a", "b", "c", "d"));
        var outbox = (await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox).OrderBy(c => c.Item.IdempotencyKey).ToList();
        await Store.MarkSentAsync(outbox.Select(c => c.BuildId).ToList(), T0, Leases, Ct);
        await Store.MarkStartedAsync([new WorkItemStarted { BuildId = outbox[0].BuildId, PlanId = "plan", IdempotencyKey = "a", Pool = "amd64", ExecutorId = "ex", StartedAt = T0 }],
            T0, Leases, Ct);
        var notLapsed = await Store.ReapAsync((_, _) => throw new InvalidOperationException("nothing has lapsed"), T0.AddSeconds(59), Leases, 100, Ct);
        Assert.Equal(0, notLapsed.Lapsed);

        // At T0+100s: a's running lease (60 s) and b, c, d's queued leases (90 s) have lapsed.
        IReadOnlyList<LapsedBuild>? seen = null;
        var outcome = await Store.ReapAsync((lapsed, _) =>
        {
            seen = lapsed;
            var byKey = lapsed.ToDictionary(l => l.IdempotencyKey);
            return Task.FromResult<IReadOnlyList<LeaseDecision>>([
                new Redispatch(byKey["a"], byKey["a"].Attempt + 1),
                new CompleteFromRecord(byKey["b"], ItemState.Failed),
                new ExtendLease(byKey["c"], T0.AddMinutes(10)),
                new Redispatch(byKey["d"], byKey["d"].Attempt + 1)]);
        }, T0.AddSeconds(100), Leases, 100, Ct);

        Assert.Equal(4, outcome.Lapsed);
        Assert.Equal([("a", BuildState.Running, 1), ("b", BuildState.Queued, 1), ("c", BuildState.Queued, 1), ("d", BuildState.Queued, 1)],
            seen!.OrderBy(l => l.IdempotencyKey).Select(l => (l.IdempotencyKey, l.State, l.Attempt)));
        Assert.Equal([(outbox[0].BuildId, 2), (outbox[3].BuildId, 2)], outcome.Outbox.OrderBy(c => c.Item.IdempotencyKey).Select(c => (c.BuildId, c.Attempt)));
        Assert.Equal("a", outcome.Outbox.OrderBy(c => c.Item.IdempotencyKey).First().Item.IdempotencyKey);
        var builds = (await Store.ListInFlightAsync(Ct)).ToDictionary(b => b.IdempotencyKey);
        Assert.Equal(["a", "c", "d"], builds.Keys.Order());
        Assert.Equal((BuildState.Unsent, 2, T0.AddSeconds(100) + Leases.Send, (string?)null), (builds["a"].State, builds["a"].Attempt, builds["a"].LeaseExpiresAt, builds["a"].ExecutorId));
        Assert.Equal(T0.AddMinutes(10), builds["c"].LeaseExpiresAt);
        var items = (await Store.GetItemsAsync(run, Ct)).ToDictionary(i => i.Item.IdempotencyKey);
        Assert.Equal((ItemState.Queued, ItemState.Failed, ItemState.Queued), (items["a"].State, items["b"].State, items["c"].State));
    }

    // ------------------------------------------------------------------------------------------------ races

    [Fact]
    public async Task Concurrent_passes_over_plans_sharing_keys_make_exactly_one_build_per_key()
    {
        var keys = Enumerable.Range(0, 20).Select(i => $"shared-{i}").ToArray();
        var runs = new List<Guid>();
        for (var p = 0; p < 8; p++) runs.Add(await PlanAsync(Items(keys), at: T0.AddSeconds(p)));

        await Task.WhenAll(runs.Select(run => Task.Run(() => PumpAsync(DispatchScope.Of([run])))));

        var inFlight = await Store.ListInFlightAsync(Ct);
        Assert.Equal(keys.Order(), inFlight.Select(b => b.IdempotencyKey).Order());
        var buildOf = inFlight.ToDictionary(b => b.IdempotencyKey, b => b.BuildId);
        foreach (var run in runs)
            Assert.All(await Store.GetItemsAsync(run, Ct), i => Assert.Equal((ItemState.Queued, buildOf[i.Item.IdempotencyKey]), (i.State, i.BuildId!.Value)));
    }

    [Fact]
    public async Task Concurrent_passes_over_one_plan_never_exceed_its_budget()
    {
        for (var round = 0; round < 20; round++)
        {
            // Passes racing each other, and completions freeing budget under them.
            var run = await PlanAsync(Items(Enumerable.Range(0, 40).Select(i => $"budget-{round}-{i}").ToArray()), concurrency: 3);
            var first = (await PumpAsync(DispatchScope.Of([run]))).SelectMany(o => o.Outbox).ToList();
            var passes = Enumerable.Range(0, 8).Select(_ => Task.Run(() => PumpAsync(DispatchScope.Of([run])))).ToList<Task>();
            passes.Add(Task.Run(() => Store.CompleteBuildsAsync([new BuildCompletion(first[0].BuildId, first[0].Item.IdempotencyKey, ItemState.Passed)], T0, Ct)));
            await Task.WhenAll(passes);

            var counts = await Store.CountItemsAsync(run, Ct);
            Assert.True(counts.Queued <= 3, $"round {round}: {counts.Queued} items in flight for a budget of 3");
            var builds = (await Store.ListInFlightAsync(Ct)).Count(b => b.IdempotencyKey.StartsWith($"budget-{round}-", StringComparison.Ordinal));
            Assert.Equal(counts.Queued, builds);
            Assert.InRange(builds, 2, 3);
        }
    }

    [Fact]
    public async Task A_build_completing_while_other_plans_attach_to_it_leaves_no_item_waiting_on_a_finished_build()
    {
        for (var round = 0; round < 15; round++)
        {
            var key = $"race-{round}";
            var owner = await PlanAsync(Items(key));
            var claim = Assert.Single((await PumpAsync(DispatchScope.Of([owner]))).SelectMany(o => o.Outbox));
            var followers = new List<Guid>();
            for (var f = 0; f < 3; f++) followers.Add(await PlanAsync(Items(key), at: T0.AddSeconds(f + 1)));

            var completion = Task.Run(() => Store.CompleteBuildsAsync([new BuildCompletion(claim.BuildId, key, ItemState.Failed)], T0.AddMinutes(1), Ct));
            var passes = followers.Select(f => Task.Run(() => PumpAsync(DispatchScope.Of([f])))).ToList();
            await Task.WhenAll(passes.Cast<Task>().Append(completion));

            await AssertNoItemOnAFinishedBuildAsync([owner, .. followers]);
            // Whatever the interleaving, the key is in flight at most once.
            Assert.True((await Store.ListInFlightAsync(Ct)).Count(b => b.IdempotencyKey == key) <= 1);
        }
    }
}
