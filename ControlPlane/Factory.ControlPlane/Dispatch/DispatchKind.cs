namespace Factory.ControlPlane.Dispatch;

/// <summary>How an item was dispatched: its own build, a test-only run on an existing image, attached to a build already in flight, or reused.</summary>
public static class DispatchKind
{
    public const string Build = "build";
    public const string TestOnly = "test_only";
    public const string Attached = "attached";
    public const string Reused = "reused";
    /// <summary>Its deadline passed before it could be dispatched: nothing was sent.</summary>
    public const string Expired = "expired";
}
