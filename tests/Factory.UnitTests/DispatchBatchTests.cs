using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.State;
using Factory.Contracts.Messages;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>DispatchBatch: which decisions of a pass stand once the claims are in, and which plans are looked at again.</summary>
public sealed class DispatchBatchTests
{
    private static readonly Guid RunA = Guid.NewGuid(), RunB = Guid.NewGuid();

    private static ClaimBuild Claim(Guid run, int seq, string key) =>
        new(run, seq, DispatchKind.Build, new ExecuteWorkItem { BuildId = Guid.NewGuid(), Item = WorkItems.Make(key) });

    [Fact]
    public void A_lost_claim_and_an_attach_to_it_do_not_stand_while_an_attach_to_a_locked_build_does()
    {
        var won = Claim(RunA, 0, "a");
        var lost = Claim(RunA, 1, "b");
        var locked = new BuildInFlight("c", Guid.NewGuid(), "suite1");
        List<DispatchDecision> decisions = [won, lost, new AttachToBuild(RunB, 0, lost.BuildId), new AttachToBuild(RunB, 1, locked.BuildId),
            new ReuseRecord(RunB, 2, Guid.NewGuid()), new ExpireItem(RunB, 3, Guid.NewGuid())];

        var applied = DispatchBatch.Applicable(decisions, new Dictionary<string, BuildInFlight> { ["c"] = locked }, new HashSet<Guid> { won.BuildId });

        Assert.Equal([(RunA, 0), (RunB, 1), (RunB, 2), (RunB, 3)], applied.Select(a => (a.Decision.RunId, a.Decision.Seq)));
        Assert.Equal([ItemState.Queued, ItemState.Queued, ItemState.Reused, ItemState.Expired], applied.Select(a => a.State));
        Assert.Equal([false, false, true, true], applied.Select(a => a.Finished));
    }

    [Fact]
    public void Plans_whose_claims_or_attaches_were_lost_are_looked_at_again_and_only_won_claims_are_sent()
    {
        var won = Claim(RunA, 0, "a");
        var lost = Claim(RunB, 0, "b");
        var candidates = new List<RunCandidate>
        {
            new(RunA, 0, SampleRecords.T0, null, 0, [new PendingItem(0, won.Command.Item)]),
            new(RunB, 0, SampleRecords.T0, null, 0, [new PendingItem(0, lost.Command.Item)]),
        };
        var wonSet = new HashSet<Guid> { won.BuildId };
        List<DispatchDecision> decisions = [won, lost];
        var applied = DispatchBatch.Applicable(decisions, new Dictionary<string, BuildInFlight>(), wonSet);

        var outcome = DispatchBatch.Outcome(candidates, new Dictionary<Guid, int> { [RunA] = 10, [RunB] = 10 }, decisions, applied, wonSet, []);

        Assert.Equal([won.Command], outcome.Outbox);
        Assert.Equal([RunB], outcome.Again);
    }

    [Fact]
    public void A_plan_that_filled_its_batch_and_moved_is_looked_at_again_unless_it_completed()
    {
        var a0 = Claim(RunA, 0, "a");
        var expire = new ExpireItem(RunB, 0, Guid.NewGuid());
        var candidates = new List<RunCandidate>
        {
            new(RunA, 0, SampleRecords.T0, null, 0, [new PendingItem(0, a0.Command.Item)]),
            new(RunB, 0, SampleRecords.T0, null, 0, [new PendingItem(0, WorkItems.Make("b"))]),
        };
        var won = new HashSet<Guid> { a0.BuildId };
        List<DispatchDecision> decisions = [a0, expire];
        var applied = DispatchBatch.Applicable(decisions, new Dictionary<string, BuildInFlight>(), won);

        var outcome = DispatchBatch.Outcome(candidates, new Dictionary<Guid, int> { [RunA] = 1, [RunB] = 1 }, decisions, applied, won, [RunB]);

        Assert.Equal([RunA], outcome.Again);
        Assert.Equal("b", Assert.Single(outcome.Expired).Item.IdempotencyKey);
    }

    [Theory]
    [InlineData(null, 0, 5000, 5000)]
    [InlineData(4, 1, 5000, 3 + DispatchBatch.Slack)]
    [InlineData(4, 9, 5000, DispatchBatch.Slack)]
    [InlineData(100, 0, 50, 50)]
    public void The_items_looked_at_per_plan_are_its_free_budget_and_some_slack_within_the_batch(int? concurrency, int inFlight, int batch, int expected)
    {
        Assert.Equal(expected, DispatchBatch.LimitFor(concurrency, inFlight, batch));
    }
}
