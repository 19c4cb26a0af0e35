using Factory.Planning;
using Factory.Messaging;

namespace Factory.ControlPlane;

public sealed class ControlPlaneOptions
{
    public const string Section = "ControlPlane";
    public string ManifestStore { get; set; } = "manifests";
    public string Registry { get; set; } = "127.0.0.1:5000";
    /// <summary>
    /// An executor not heard from for this long no longer counts as serving its pool. Idle executors beat only every
    /// Executor:IdleHeartbeatInterval (15 s by default): this spans three of those, so one lost beat does not drop one.
    /// </summary>
    public TimeSpan ExecutorTimeout { get; set; } = TimeSpan.FromSeconds(45);
    /// <summary>Admit plans for pools no executor serves yet (they wait on their queues): for fleets that scale executors on demand.</summary>
    public bool AdmitUnservedPools { get; set; }
    /// <summary>How often the fleet's gauges (queue depths, oldest queued age, executors) are sampled for /metrics.</summary>
    public TimeSpan MetricsSampleInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Where plans go: each pool a platform (and accelerator) and its queue wq-&lt;name&gt;. Empty: amd64, arm64 and gpu.
    /// Set, it replaces them, e.g. a simulation fleet's ControlPlane:Pools:0 = {Name: sim, Platform: linux/amd64}.
    /// </summary>
    public List<PoolDefinition> Pools { get; set; } = [];
    /// <summary>Pacing of dispatch and the leases of builds in flight (ControlPlane:Dispatch, ControlPlane:Dispatch:Leases).</summary>
    public DispatchOptions Dispatch { get; set; } = new();
    /// <summary>Bounds on submitted plans (ControlPlane:Plans).</summary>
    public PlanOptions Plans { get; set; } = new();
    /// <summary>Retries of a consumer whose infrastructure failed (ControlPlane:Retry).</summary>
    public RetryOptions Retry { get; set; } = new()
    {
        Limit = 10, MinInterval = TimeSpan.FromMilliseconds(200), MaxInterval = TimeSpan.FromSeconds(20), IntervalDelta = TimeSpan.FromSeconds(1),
    };
}
