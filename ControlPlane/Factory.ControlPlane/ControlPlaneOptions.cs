using Factory.Messaging;

namespace Factory.ControlPlane;

public sealed class ControlPlaneOptions
{
    public const string Section = "ControlPlane";
    public string ManifestStore { get; set; } = "manifests";
    public string Registry { get; set; } = "127.0.0.1:5000";
    /// <summary>An executor not heard from for this long no longer counts as serving its pool.</summary>
    public TimeSpan ExecutorTimeout { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>How often the dispatcher looks for work it could not dispatch yet (budgets, keys in flight).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Retries of a consumer whose infrastructure failed (ControlPlane:Retry).</summary>
    public RetryOptions Retry { get; set; } = new()
    {
        Limit = 10, MinInterval = TimeSpan.FromMilliseconds(200), MaxInterval = TimeSpan.FromSeconds(20), IntervalDelta = TimeSpan.FromSeconds(1),
    };
}
