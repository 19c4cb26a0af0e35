using Factory.Planning;
using Factory.ControlPlane.Runs;
using Factory.Messaging;

namespace Factory.ControlPlane.Fleet;

/// <summary>Reads the facts of the fleet (state store, broker, what this control plane counted and heard) and summarises them.</summary>
public sealed class FleetReader(IPlanStateStore state, IQueueDepths depths, PoolThroughput throughput, ScrapeTargets targets, PoolCatalog catalog,
    ControlPlaneOptions options, TimeProvider clock)
{
    public async Task<FleetView> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var executors = await state.ListExecutorsAsync(now - options.ExecutorTimeout, ct);
        var inFlight = await state.ListInFlightAsync(ct);
        var pools = catalog.Pools.Select(p => p.Name).Concat(executors.Select(e => e.Pool)).Concat(inFlight.Select(b => b.Pool)).Distinct().ToList();
        var queues = pools.SelectMany(p => new[] { WorkQueues.For(p), WorkQueues.DeadLetterFor(p) }).ToList();
        var facts = new FleetFacts(pools, executors, inFlight, await depths.ReadyInQueuesAsync(queues, ct),
            pools.ToDictionary(p => p, throughput.PerMinute), targets.UrlsByInstance(), now);
        return FleetSummary.Of(facts);
    }
}
