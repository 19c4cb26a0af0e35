using Factory.ControlPlane.Dispatch;
using Factory.Contracts.Records;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>DispatchPolicy.Decide on snapshots, without a database: priority, budgets, reuse / test-only / attach / claim, deadlines.</summary>
public sealed class DispatchPolicyTests
{
    private static readonly DateTimeOffset Now = SampleRecords.T0.AddDays(1);

    private static RunCandidate Run(Guid id, int priority = 0, int? concurrency = null, int inFlight = 0, DateTimeOffset? submitted = null, params PendingItem[] pending) =>
        new(id, priority, submitted ?? Now.AddMinutes(-1), concurrency, inFlight, pending);

    private static PendingItem Pending(int seq, string key = "key1", string suite = "suite1", DateTimeOffset? deadline = null) =>
        new(seq, WorkItems.Make(key, suite, deadline));

    private static DispatchSnapshot Snapshot(IEnumerable<RunCandidate> runs, IEnumerable<BuildInFlight>? inFlight = null, IEnumerable<CompatibilityRecord>? records = null) =>
        new(Now, runs.ToList(), (inFlight ?? []).ToDictionary(b => b.IdempotencyKey),
            (records ?? []).Select(RecordSummary.Of).GroupBy(r => r.IdempotencyKey).ToDictionary(g => g.Key, g => (IReadOnlyList<RecordSummary>)g.ToList()));

    /// <summary>Build ids 00000000-0000-0000-0000-000000000001, ...02, ... in order of asking.</summary>
    private static Func<Guid> Ids()
    {
        var n = 0;
        return () => new Guid(++n, 0, 0, new byte[8]);
    }

    [Fact]
    public void An_item_with_no_record_and_no_build_in_flight_claims_its_key_as_a_build()
    {
        var run = Guid.NewGuid();
        var decisions = DispatchPolicy.Decide(Snapshot([Run(run, pending: Pending(0))]), Ids());

        var claim = Assert.IsType<ClaimBuild>(Assert.Single(decisions));
        Assert.Equal((run, 0, DispatchKind.Build), (claim.RunId, claim.Seq, claim.Kind));
        Assert.Equal("key1", claim.IdempotencyKey);
        Assert.Null(claim.Command.ReuseImage);
        Assert.Equal(1, claim.Command.Attempt);
        Assert.Equal(new Guid(1, 0, 0, new byte[8]), claim.BuildId);
    }

    [Fact]
    public void A_passing_record_for_the_same_suite_is_reused_even_with_no_budget_left()
    {
        var passed = SampleRecords.Make(key: "key1");
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), concurrency: 1, inFlight: 1, pending: Pending(0))], records: [passed]), Ids());

        var reuse = Assert.IsType<ReuseRecord>(Assert.Single(decisions));
        Assert.Equal(passed.BuildId, reuse.RecordBuildId);
    }

    [Fact]
    public void An_image_built_for_another_suite_is_tested_again_without_a_rebuild()
    {
        var old = SampleRecords.Make(key: "key1", suiteHash: "suite0", image: "registry/app@sha256:11");
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), pending: Pending(0))], records: [old]), Ids());

        var claim = Assert.IsType<ClaimBuild>(Assert.Single(decisions));
        Assert.Equal(DispatchKind.TestOnly, claim.Kind);
        Assert.Equal("registry/app@sha256:11", claim.Command.ReuseImage);
    }

    [Fact]
    public void An_item_whose_deadline_passed_is_expired_without_budget_and_without_a_claim()
    {
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), concurrency: 1, inFlight: 1, pending: Pending(0, deadline: Now.AddSeconds(-1)))]), Ids());

        var expire = Assert.IsType<ExpireItem>(Assert.Single(decisions));
        Assert.Equal(new Guid(1, 0, 0, new byte[8]), expire.BuildId);
    }

    [Fact]
    public void A_passing_record_wins_over_a_passed_deadline()
    {
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), pending: Pending(0, deadline: Now.AddSeconds(-1)))], records: [SampleRecords.Make()]), Ids());
        Assert.IsType<ReuseRecord>(Assert.Single(decisions));
    }

    [Fact]
    public void A_deadline_still_ahead_does_not_expire_the_item()
    {
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), pending: Pending(0, deadline: Now.AddSeconds(1)))]), Ids());
        Assert.IsType<ClaimBuild>(Assert.Single(decisions));
    }

    [Fact]
    public void A_plan_claims_no_more_items_than_its_concurrency_budget_leaves()
    {
        var run = Guid.NewGuid();
        var decisions = DispatchPolicy.Decide(Snapshot([Run(run, concurrency: 3, inFlight: 1, pending: [Pending(0, "a"), Pending(1, "b"), Pending(2, "c")])]), Ids());

        Assert.Equal([0, 1], decisions.OfType<ClaimBuild>().Select(c => c.Seq));
        Assert.Equal(2, decisions.Count);
    }

    [Fact]
    public void A_plan_with_its_budget_used_up_claims_nothing()
    {
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), concurrency: 2, inFlight: 2, pending: Pending(0))]), Ids());
        Assert.Empty(decisions);
    }

    [Fact]
    public void Attached_items_count_against_the_budget()
    {
        var building = new BuildInFlight("a", Guid.NewGuid(), "suite1");
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), concurrency: 1, pending: [Pending(0, "a"), Pending(1, "b")])], [building]), Ids());

        var attach = Assert.IsType<AttachToBuild>(Assert.Single(decisions));
        Assert.Equal(building.BuildId, attach.BuildId);
    }

    [Fact]
    public void An_item_whose_key_is_in_flight_for_another_suite_waits_and_later_items_go_ahead()
    {
        var building = new BuildInFlight("a", Guid.NewGuid(), "suite0");
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), pending: [Pending(0, "a"), Pending(1, "b")])], [building]), Ids());

        var claim = Assert.IsType<ClaimBuild>(Assert.Single(decisions));
        Assert.Equal(1, claim.Seq);
    }

    [Fact]
    public void Of_two_plans_wanting_one_key_the_higher_priority_plan_claims_it_and_the_other_attaches()
    {
        Guid low = Guid.NewGuid(), high = Guid.NewGuid();
        var decisions = DispatchPolicy.Decide(Snapshot([
            Run(low, priority: 0, submitted: Now.AddMinutes(-10), pending: Pending(0)),
            Run(high, priority: 9, submitted: Now.AddMinutes(-1), pending: Pending(0)),
        ]), Ids());

        var claim = Assert.IsType<ClaimBuild>(decisions[0]);
        var attach = Assert.IsType<AttachToBuild>(decisions[1]);
        Assert.Equal(high, claim.RunId);
        Assert.Equal((low, claim.BuildId), (attach.RunId, attach.BuildId));
    }

    [Fact]
    public void Of_two_plans_of_equal_priority_the_older_one_claims_first()
    {
        Guid older = Guid.NewGuid(), newer = Guid.NewGuid();
        var decisions = DispatchPolicy.Decide(Snapshot([
            Run(newer, priority: 5, submitted: Now.AddMinutes(-1), pending: Pending(0)),
            Run(older, priority: 5, submitted: Now.AddMinutes(-2), pending: Pending(0)),
        ]), Ids());

        Assert.Equal(older, Assert.IsType<ClaimBuild>(decisions[0]).RunId);
        Assert.Equal(newer, Assert.IsType<AttachToBuild>(decisions[1]).RunId);
    }

    [Fact]
    public void An_attach_for_a_different_suite_within_one_pass_waits_instead()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var decisions = DispatchPolicy.Decide(Snapshot([
            Run(first, submitted: Now.AddMinutes(-2), pending: Pending(0, suite: "suite1")),
            Run(second, submitted: Now.AddMinutes(-1), pending: Pending(0, suite: "suite2")),
        ]), Ids());

        Assert.Equal(first, Assert.IsType<ClaimBuild>(Assert.Single(decisions)).RunId);
    }

    [Fact]
    public void Items_of_a_plan_are_taken_in_their_order_whatever_order_the_snapshot_lists_them_in()
    {
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), concurrency: 2, pending: [Pending(7, "c"), Pending(2, "a"), Pending(5, "b")])]), Ids());
        Assert.Equal([2, 5], decisions.Select(d => d.Seq));
    }

    [Fact]
    public void Reruns_of_a_passing_key_are_tested_again_one_at_a_time_never_attached_to_a_build_in_flight()
    {
        var passed = SampleRecords.Make(key: "key1");
        PendingItem Rerun(int seq) => new(seq, WorkItems.Make() with { Rerun = true });
        var decisions = DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), pending: [Rerun(0), Rerun(1)])], records: [passed]), Ids());

        var claim = Assert.IsType<ClaimBuild>(Assert.Single(decisions));
        Assert.Equal((0, DispatchKind.TestOnly, passed.Image), (claim.Seq, claim.Kind, claim.Command.ReuseImage));

        var building = new BuildInFlight("key1", Guid.NewGuid(), "suite1");
        Assert.Empty(DispatchPolicy.Decide(Snapshot([Run(Guid.NewGuid(), pending: Rerun(1))], [building], [passed]), Ids()));
    }
}
