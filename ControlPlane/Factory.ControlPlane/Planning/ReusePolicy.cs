using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.ControlPlane.Planning;

/// <summary>
/// What to do with an item given the records already kept for its key:
/// a passing record for the same test suite hash is reused; an image built before for this key is tested again
/// without a rebuild (the suite changed, or its tests failed and may be flaky); anything else is built.
/// A rerun is never reused: the passing image is tested again (a new record of the same key).
/// </summary>
public static class ReusePolicy
{
    public static ReuseDecision Decide(WorkItem item, IReadOnlyList<RecordSummary> recordsForKey)
    {
        var newestFirst = recordsForKey.OrderByDescending(r => r.RecordedAt).ToList();
        var passing = newestFirst.FirstOrDefault(r => r.Status == RecordStatus.Passed && r.TestSuiteHash == item.TestSuiteHash);
        if (passing is not null && !item.Rerun) return new ReuseDecision(ReuseDecisionKind.Reuse, passing);
        if (passing?.Image is not null) return new ReuseDecision(ReuseDecisionKind.TestOnly, passing, passing.Image);
        var built = newestFirst.FirstOrDefault(r => r.Image is not null && r.Reason is null or FailureReason.TestFailed);
        if (built is not null) return new ReuseDecision(ReuseDecisionKind.TestOnly, built, built.Image);
        return new ReuseDecision(ReuseDecisionKind.Build);
    }
}
