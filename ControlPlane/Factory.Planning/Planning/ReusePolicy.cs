using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.Planning;

/// <summary>
/// What to do with an item given the records already kept for its key:
/// a passing record for the same test suite hash is reused; an image built before for this key is tested again
/// without a rebuild (the suite changed, or its tests failed and may be flaky); anything else is built.
/// A rerun is never reused: the passing image is tested again (a new record of the same key).
/// Only records whose signature the results consumer checked against its keyring count (signed_by): an unsigned
/// record, forged or stored before results were checked, is neither reused nor its image tested again, so its key
/// is built.
/// </summary>
public static class ReusePolicy
{
    public static ReuseDecision Decide(WorkItem item, IReadOnlyList<RecordSummary> recordsForKey)
    {
        var newestFirst = recordsForKey.Where(r => r.SignedBy is not null).OrderByDescending(r => r.RecordedAt).ToList();
        var passing = newestFirst.FirstOrDefault(r => r.Status == RecordStatus.Passed && r.TestSuiteHash == item.TestSuiteHash);
        if (passing is not null && !item.Rerun) return new ReuseDecision(ReuseDecisionKind.Reuse, passing);
        if (passing?.Image is not null) return new ReuseDecision(ReuseDecisionKind.TestOnly, passing, passing.Image);
        var built = newestFirst.FirstOrDefault(r => r.Image is not null && r.Reason is null or FailureReason.TestFailed);
        if (built is not null) return new ReuseDecision(ReuseDecisionKind.TestOnly, built, built.Image);
        return new ReuseDecision(ReuseDecisionKind.Build);
    }
}
