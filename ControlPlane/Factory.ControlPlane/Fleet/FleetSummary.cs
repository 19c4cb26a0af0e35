using Factory.ControlPlane.Dispatch;
using Factory.Messaging;

namespace Factory.ControlPlane.Fleet;

/// <summary>
/// Summarises the fleet per pool (pure): every pool named in the facts or served by an executor, in name order; an
/// executor is busy while any build is leased to it or its heartbeat says it runs one; a pool's oldest queued build is
/// the earliest dispatched of its builds still on the queue.
/// </summary>
public static class FleetSummary
{
    public static FleetView Of(FleetFacts facts)
    {
        var pools = facts.Pools.Concat(facts.Executors.Select(e => e.Pool)).Distinct().Order(StringComparer.Ordinal);
        return new FleetView(facts.Now, pools.Select(pool => Pool(pool, facts)).ToList());
    }

    private static PoolView Pool(string pool, FleetFacts facts)
    {
        var running = facts.InFlight.Where(b => b.Pool == pool && b.State == BuildState.Running && b.ExecutorId is not null)
            .ToLookup(b => b.ExecutorId!, b => b.BuildId);
        var executors = facts.Executors.Where(e => e.Pool == pool).OrderBy(e => e.ExecutorId, StringComparer.Ordinal).Select(e =>
        {
            var builds = running[e.ExecutorId].Order().ToList();
            var busy = Math.Max(e.Busy, builds.Count);
            return new ExecutorView(e.ExecutorId, e.Host, busy > 0 ? ExecutorView.BusyState : ExecutorView.IdleState, busy, e.Concurrency, builds,
                e.LastSeen, Math.Max(0, (facts.Now - e.LastSeen).TotalSeconds), facts.MetricsUrls.GetValueOrDefault(e.ExecutorId));
        }).ToList();
        var queued = facts.InFlight.Where(b => b.Pool == pool && b.State == BuildState.Queued).Select(b => (DateTimeOffset?)b.DispatchedAt).Min();
        return new PoolView(pool,
            facts.QueueDepths.GetValueOrDefault(WorkQueues.For(pool)),
            facts.QueueDepths.GetValueOrDefault(WorkQueues.DeadLetterFor(pool)),
            queued is { } at ? Math.Max(0, (facts.Now - at).TotalSeconds) : null,
            facts.ThroughputPerMinute.GetValueOrDefault(pool),
            executors.Count(e => e.State == ExecutorView.BusyState),
            executors.Count(e => e.State == ExecutorView.IdleState),
            executors);
    }
}
