using System.Diagnostics.Metrics;

namespace Factory.ControlPlane.Telemetry;

/// <summary>
/// The control plane's Meter. Prometheus names (the exporter adds the unit and _total): factory_work_items_sent_total,
/// factory_work_items_resent_total, factory_work_items_completed_total, factory_work_items_dead_lettered_total, and the
/// sampled gauges of <see cref="FleetGauges"/>.
/// </summary>
public static class ControlPlaneMetrics
{
    public const string MeterName = "Factory.ControlPlane";
    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Sent = Meter.CreateCounter<long>("factory.work_items.sent", description: "Builds sent to a pool's work queue (every attempt).");
    public static readonly Counter<long> Resent = Meter.CreateCounter<long>("factory.work_items.resent",
        description: "Builds sent again after their lease lapsed (attempt 2 and later): the control plane's retries.");
    public static readonly Counter<long> Completed = Meter.CreateCounter<long>("factory.work_items.completed", description: "Builds whose record landed, by pool and status.");
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("factory.work_items.dead_lettered", description: "Builds an executor gave up on, by pool.");

    public static KeyValuePair<string, object?> Pool(string? pool) => new("factory.pool", pool ?? "unknown");
    public static KeyValuePair<string, object?> Status(string status) => new("factory.status", status);
}
