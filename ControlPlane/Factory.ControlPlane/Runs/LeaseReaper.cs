using Factory.ControlPlane.Dispatch;
using Factory.Records;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// Keeps every key's time in flight bounded by its lease: builds whose lease lapsed are completed from their record
/// if one exists, sent again (same build id, next attempt), or looked at later (LeasePolicy decides).
/// </summary>
public sealed class LeaseReaper(IPlanStateStore state, ICompatibilityRecordStore records, IQueueDepths depths, WorkDispatcher dispatcher, RunSignals signals,
    DispatchOptions options, TimeProvider clock)
{
    private const int Limit = 500;

    /// <summary>One pass; returns how many leases had lapsed.</summary>
    public async Task<int> ReapAsync(CancellationToken ct)
    {
        var outcome = await state.ReapAsync(DecideAsync, clock.GetUtcNow(), options.Leases, Limit, ct);
        await dispatcher.SendAsync(outcome.Outbox);
        if (outcome.Completion.CompletedRuns.Count > 0) signals.Completed(outcome.Completion.CompletedRuns);
        await dispatcher.PumpAsync(DispatchScope.Of(outcome.Completion.Unblocked), ct);
        return outcome.Lapsed;
    }

    private async Task<IReadOnlyList<LeaseDecision>> DecideAsync(IReadOnlyList<LapsedBuild> lapsed, CancellationToken ct)
    {
        var summaries = await records.GetSummariesAsync(lapsed.Select(l => l.BuildId).ToList(), ct);
        var status = summaries.ToDictionary(s => s.BuildId, s => s.Status);
        var queuedPools = lapsed.Where(l => l.State == BuildState.Queued).Select(l => l.Pool).Distinct().ToList();
        var ready = queuedPools.Count == 0 ? new Dictionary<string, long?>() : await depths.ReadyAsync(queuedPools, ct);
        return LeasePolicy.Decide(lapsed, status, ready, clock.GetUtcNow(), options.Leases);
    }
}
