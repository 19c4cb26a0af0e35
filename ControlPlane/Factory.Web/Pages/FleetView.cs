using Factory.Planning;
using Factory.ControlPlane.Runs;

namespace Factory.Web.Pages;

/// <summary>What the fleet page shows, read from the plan state, the broker and its dead-letter queues.</summary>
public sealed record FleetView(IReadOnlyList<PoolDefinition> Pools, IReadOnlyList<ExecutorRow> Executors, IReadOnlyList<BuildInFlightRow> InFlight,
    IReadOnlyDictionary<string, long?> QueueDepths, DeadLetterList DeadLetters);
