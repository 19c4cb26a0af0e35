using Factory.ControlPlane.Runs;

namespace Factory.ControlPlane.Fleet;

/// <summary>
/// What the fleet summary is made of, read at one moment: the pools to show, the live executors, the builds in flight,
/// ready messages per queue name, completions per minute per pool, and the metrics URL per instance id.
/// </summary>
public sealed record FleetFacts(
    IReadOnlyCollection<string> Pools,
    IReadOnlyList<ExecutorRow> Executors,
    IReadOnlyList<BuildInFlightRow> InFlight,
    IReadOnlyDictionary<string, long?> QueueDepths,
    IReadOnlyDictionary<string, double> ThroughputPerMinute,
    IReadOnlyDictionary<string, string> MetricsUrls,
    DateTimeOffset Now);
