namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// How long a build in flight may go unheard of before the control plane acts. A claimed build must be confirmed
/// sent within <see cref="Send"/>; a running build's lease is renewed by its executor's heartbeats and lapses
/// <see cref="Run"/> after the last one (the executor died, or its result was lost); a queued build is looked at
/// again every <see cref="Queued"/>, and sent again only when its pool's queue holds nothing.
/// </summary>
public sealed class LeaseOptions
{
    public TimeSpan Send { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan Run { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan Queued { get; set; } = TimeSpan.FromSeconds(60);
}
