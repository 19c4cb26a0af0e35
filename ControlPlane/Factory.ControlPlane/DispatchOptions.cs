using Factory.ControlPlane.Dispatch;

namespace Factory.ControlPlane;

/// <summary>How the dispatcher paces itself (ControlPlane:Dispatch; leases under ControlPlane:Dispatch:Leases).</summary>
public sealed class DispatchOptions
{
    /// <summary>How often every open plan is looked at again (what no event unblocked) and lapsed leases are reaped.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Pending items of one plan looked at in one pass.</summary>
    public int Batch { get; set; } = 5000;
    /// <summary>Builds sent to the broker at once (each waits for its publisher confirm).</summary>
    public int SendConcurrency { get; set; } = 64;
    /// <summary>
    /// How long a batch of heartbeats waits to fill before it is written (up to 1,000 at once): a second in the fleet,
    /// where a thousand executors beat. A batch still open when the bus stops holds the stop until its window ends.
    /// </summary>
    public TimeSpan HeartbeatWindow { get; set; } = TimeSpan.FromSeconds(1);
    public LeaseOptions Leases { get; set; } = new();
}
