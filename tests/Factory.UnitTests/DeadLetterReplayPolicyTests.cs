using Factory.ControlPlane.DeadLetters;
using Factory.Contracts.Failures;

namespace Factory.UnitTests;

/// <summary>What replay refuses: malformed messages, and results that were refused as untrusted, are unsigned, or have no fault recorded.</summary>
public sealed class DeadLetterReplayPolicyTests
{
    private static readonly DeadLetterBody SignedResult = new(DeadLetterBody.ResultType, Guid.NewGuid(), "k", "p", null, Signed: true);
    private static readonly string Untrusted = typeof(UntrustedResultException).FullName!;
    private static readonly string Infrastructure = typeof(InfrastructureException).FullName!;

    [Fact]
    public void A_work_item_that_faulted_may_be_replayed_and_a_malformed_one_may_not()
    {
        var item = new DeadLetterBody(DeadLetterBody.WorkItemType, Guid.NewGuid(), "k", "p", null);

        Assert.Null(DeadLetterReplayPolicy.Refusal(DeadLetterKind.WorkItem, item, Infrastructure));
        Assert.Null(DeadLetterReplayPolicy.Refusal(DeadLetterKind.WorkItem, item, null));
        Assert.Equal("malformed (not JSON)", DeadLetterReplayPolicy.Refusal(DeadLetterKind.WorkItem, item with { Malformed = "not JSON" }, Infrastructure));
    }

    [Fact]
    public void A_signed_result_the_results_consumer_gave_up_on_after_an_infrastructure_failure_may_be_replayed()
    {
        Assert.Null(DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult, Infrastructure));
        Assert.Null(DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult, "Npgsql.NpgsqlException"));
    }

    [Fact]
    public void A_result_refused_as_untrusted_is_never_replayed_even_when_it_carries_a_signature()
    {
        Assert.StartsWith("an untrusted result:", DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult, Untrusted));
        Assert.StartsWith("an untrusted result:", DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult with { Signed = false }, Untrusted));
    }

    [Fact]
    public void An_unsigned_result_is_never_replayed_whatever_fault_its_headers_claim()
    {
        Assert.StartsWith("an unsigned result:", DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult with { Signed = false }, Infrastructure));
    }

    [Fact]
    public void A_result_with_no_fault_recorded_was_not_dead_lettered_by_its_consumer_and_is_not_replayed()
    {
        Assert.StartsWith("no fault recorded:", DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult, null));
        Assert.StartsWith("malformed (", DeadLetterReplayPolicy.Refusal(DeadLetterKind.Result, SignedResult with { Malformed = "x" }, Infrastructure));
    }
}
