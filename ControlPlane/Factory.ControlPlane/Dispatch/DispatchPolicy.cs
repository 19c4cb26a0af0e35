using Factory.Planning;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// Decides, for one snapshot, what happens to each pending item. Plans are served highest priority first, then
/// oldest first; within a plan, in item order. For each item:
/// 1. a passing record of its key and suite exists → reused (no budget needed);
/// 2. its deadline has passed → expired (no budget needed, nothing is sent);
/// 3. the plan's concurrency budget is used up → it waits;
/// 4. its key is in flight (or claimed earlier in this pass) for the same suite → attached; for another suite, or when
///    the item is a rerun (which must make a record of its own) → it waits;
/// 5. otherwise it claims its key: a test-only run when an image of the key was built before, else a build.
/// Attached and claimed items count against the plan's budget. Pure: no clock, no ids, no I/O of its own.
/// </summary>
public static class DispatchPolicy
{
    public static IReadOnlyList<DispatchDecision> Decide(DispatchSnapshot snapshot, Func<Guid> newBuildId)
    {
        var decisions = new List<DispatchDecision>();
        var inFlight = new Dictionary<string, BuildInFlight>(snapshot.InFlight);
        var ordered = snapshot.Runs.OrderByDescending(r => r.Priority).ThenBy(r => r.SubmittedAt).ThenBy(r => r.RunId);
        foreach (var run in ordered)
        {
            var budget = run.Budget;
            foreach (var pending in run.Pending.OrderBy(p => p.Seq))
            {
                var item = pending.Item;
                var records = snapshot.Records.GetValueOrDefault(item.IdempotencyKey) ?? [];
                var reuse = ReusePolicy.Decide(item, records);
                if (reuse.Kind == ReuseDecisionKind.Reuse)
                {
                    decisions.Add(new ReuseRecord(run.RunId, pending.Seq, reuse.Record!.BuildId));
                    continue;
                }
                if (item.Deadline is { } deadline && deadline < snapshot.Now)
                {
                    decisions.Add(new ExpireItem(run.RunId, pending.Seq, newBuildId()));
                    continue;
                }
                if (budget <= 0) continue;
                if (inFlight.TryGetValue(item.IdempotencyKey, out var build))
                {
                    if (build.TestSuiteHash != item.TestSuiteHash || item.Rerun) continue; // wait for that build, then decide again
                    decisions.Add(new AttachToBuild(run.RunId, pending.Seq, build.BuildId));
                    budget--;
                    continue;
                }
                var command = new ExecuteWorkItem { BuildId = newBuildId(), Item = item, ReuseImage = reuse.Image };
                var kind = reuse.Kind == ReuseDecisionKind.TestOnly ? DispatchKind.TestOnly : DispatchKind.Build;
                decisions.Add(new ClaimBuild(run.RunId, pending.Seq, kind, command));
                inFlight[item.IdempotencyKey] = new BuildInFlight(item.IdempotencyKey, command.BuildId, item.TestSuiteHash);
                budget--;
            }
        }
        return decisions;
    }
}
