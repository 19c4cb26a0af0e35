namespace Factory.ControlPlane.Runs;

/// <summary>Where one item of a submitted plan is. Terminal: passed, failed, expired, reused, dead_lettered.</summary>
public static class ItemState
{
    public const string Pending = "pending";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Reused = "reused";
    public const string DeadLettered = "dead_lettered";

    public static readonly string[] InFlight = [Queued, Running];
    public static bool IsTerminal(string state) => state is not (Pending or Queued or Running);
}

/// <summary>How an item was dispatched: its own build, a test-only run on an existing image, or attached to a build already in flight.</summary>
public static class DispatchKind
{
    public const string Build = "build";
    public const string TestOnly = "test_only";
    public const string Attached = "attached";
    public const string Reused = "reused";
}
