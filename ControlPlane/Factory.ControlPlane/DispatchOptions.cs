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
    public LeaseOptions Leases { get; set; } = new();
}
