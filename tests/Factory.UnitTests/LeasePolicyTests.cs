using Factory.ControlPlane.Dispatch;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>LeasePolicy.Decide: what becomes of builds whose lease lapsed.</summary>
public sealed class LeasePolicyTests
{
    private static readonly DateTimeOffset Now = SampleRecords.T0;
    private static readonly LeaseOptions Options = new() { Queued = TimeSpan.FromSeconds(45) };

    private static LapsedBuild Lapsed(string state, int attempt = 1, string pool = "amd64") =>
        new("key1", Guid.NewGuid(), state, attempt, pool, Now.AddSeconds(-1));

    private static LeaseDecision Decide(LapsedBuild build, IReadOnlyDictionary<Guid, string>? records = null, long? ready = null) =>
        Assert.Single(LeasePolicy.Decide([build], records ?? new Dictionary<Guid, string>(), new Dictionary<string, long?> { [build.Pool] = ready }, Now, Options));

    [Theory]
    [InlineData(BuildState.Unsent)]
    [InlineData(BuildState.Queued)]
    [InlineData(BuildState.Running)]
    public void A_build_with_a_record_is_completed_from_it_whatever_its_state(string state)
    {
        var build = Lapsed(state);
        var complete = Assert.IsType<CompleteFromRecord>(Decide(build, new Dictionary<Guid, string> { [build.BuildId] = "failed" }, ready: 0));
        Assert.Equal("failed", complete.Status);
    }

    [Fact]
    public void A_running_build_no_longer_renewed_is_sent_again_as_the_next_attempt()
    {
        var again = Assert.IsType<Redispatch>(Decide(Lapsed(BuildState.Running, attempt: 2), ready: 7));
        Assert.Equal(3, again.Attempt);
    }

    [Fact]
    public void A_build_whose_send_was_never_confirmed_is_sent_again()
    {
        Assert.Equal(2, Assert.IsType<Redispatch>(Decide(Lapsed(BuildState.Unsent))).Attempt);
    }

    [Fact]
    public void A_queued_build_is_sent_again_only_when_its_queue_is_empty()
    {
        Assert.IsType<Redispatch>(Decide(Lapsed(BuildState.Queued), ready: 0));
        var later = Assert.IsType<ExtendLease>(Decide(Lapsed(BuildState.Queued), ready: 3));
        Assert.Equal(Now + Options.Queued, later.Until);
    }

    [Fact]
    public void A_queued_build_on_a_queue_of_unknown_depth_is_looked_at_later()
    {
        Assert.IsType<ExtendLease>(Decide(Lapsed(BuildState.Queued), ready: null));
        Assert.IsType<ExtendLease>(Assert.Single(LeasePolicy.Decide([Lapsed(BuildState.Queued, pool: "gpu")], new Dictionary<Guid, string>(),
            new Dictionary<string, long?>(), Now, Options)));
    }
}
