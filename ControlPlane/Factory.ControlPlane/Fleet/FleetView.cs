namespace Factory.ControlPlane.Fleet;

/// <summary>GET /api/fleet: per pool, its queue and its executors.</summary>
public sealed record FleetView(DateTimeOffset GeneratedAt, IReadOnlyList<PoolView> Pools);
