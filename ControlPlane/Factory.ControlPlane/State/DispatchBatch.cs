using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.State;

/// <summary>What both plan-state stores do the same way around a dispatch pass: how much to look at, which decisions stand, what to report.</summary>
public static class DispatchBatch
{
    /// <summary>Pending items looked at beyond a budgeted plan's free slots: later items may be reusable, expired, or free to go while the first wait on a key.</summary>
    public const int Slack = 16;

    public static int LimitFor(int? concurrency, int inFlight, int batch) =>
        concurrency is { } limit ? Math.Min(batch, Math.Max(0, limit - inFlight) + Slack) : batch;

    /// <summary>
    /// The decisions that stand once the claims are in: reuses and expiries always; a claim if it won its key; an
    /// attach to a build in the snapshot (its row is locked until commit), or to a claim of this pass that won.
    /// </summary>
    public static IReadOnlyList<AppliedDecision> Applicable(IReadOnlyList<DispatchDecision> decisions, IReadOnlyDictionary<string, BuildInFlight> snapshotInFlight,
        IReadOnlySet<Guid> wonClaims)
    {
        var inSnapshot = snapshotInFlight.Values.Select(b => b.BuildId).ToHashSet();
        var applied = new List<AppliedDecision>();
        foreach (var decision in decisions)
        {
            AppliedDecision? row = decision switch
            {
                ReuseRecord r => new(r, ItemState.Reused, DispatchKind.Reused, r.RecordBuildId, true),
                ExpireItem e => new(e, ItemState.Expired, DispatchKind.Expired, e.BuildId, true),
                ClaimBuild c when wonClaims.Contains(c.BuildId) => new(c, ItemState.Queued, c.Kind, c.BuildId, false),
                AttachToBuild a when inSnapshot.Contains(a.BuildId) || wonClaims.Contains(a.BuildId) => new(a, ItemState.Queued, DispatchKind.Attached, a.BuildId, false),
                _ => null,
            };
            if (row is not null) applied.Add(row);
        }
        return applied;
    }

    /// <summary>
    /// The pass's outcome: the won claims to send, the expired items, the completed plans, and the plans to look at
    /// again at once (a claim or attach lost to another pass, or as many items as the limit and some of them moved).
    /// </summary>
    public static DispatchOutcome Outcome(IReadOnlyList<RunCandidate> candidates, IReadOnlyDictionary<Guid, int> limits, IReadOnlyList<DispatchDecision> decisions,
        IReadOnlyList<AppliedDecision> applied, IReadOnlySet<Guid> wonClaims, IReadOnlyList<Guid> completed)
    {
        var outbox = decisions.OfType<ClaimBuild>().Where(c => wonClaims.Contains(c.BuildId)).Select(c => c.Command).ToList();
        var expired = new List<ExpiredItem>();
        var items = candidates.SelectMany(c => c.Pending.Select(p => (c.RunId, p))).ToDictionary(x => (x.RunId, x.p.Seq), x => x.p.Item);
        foreach (var e in decisions.OfType<ExpireItem>()) expired.Add(new ExpiredItem(items[(e.RunId, e.Seq)], e.BuildId));
        var appliedKeys = applied.Select(a => (a.Decision.RunId, a.Decision.Seq)).ToHashSet();
        var lost = decisions.Where(d => d is ClaimBuild or AttachToBuild && !appliedKeys.Contains((d.RunId, d.Seq))).Select(d => d.RunId);
        var moved = applied.Select(a => a.Decision.RunId).ToHashSet();
        var full = candidates.Where(c => c.Pending.Count > 0 && c.Pending.Count >= limits.GetValueOrDefault(c.RunId) && moved.Contains(c.RunId)).Select(c => c.RunId);
        return new DispatchOutcome(outbox, expired, completed, lost.Union(full).Except(completed).ToList());
    }
}
