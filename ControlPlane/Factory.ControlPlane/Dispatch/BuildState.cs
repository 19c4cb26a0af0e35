namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// A build in flight: claimed and not yet confirmed sent (unsent), on its pool's queue (queued), or started by an
/// executor (running). Each state has its own lease (see <see cref="LeaseOptions"/>).
/// </summary>
public static class BuildState
{
    public const string Unsent = "unsent";
    public const string Queued = "queued";
    public const string Running = "running";
}
