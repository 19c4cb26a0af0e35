namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// Where one item of a submitted plan is. pending → queued (its build is claimed or it is attached to one) → running
/// (an executor started the build) → the record's status (passed, failed, expired), or reused, or dead_lettered.
/// </summary>
public static class ItemState
{
    public const string Pending = "pending";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Expired = "expired";
    public const string Reused = "reused";
    public const string DeadLettered = "dead_lettered";
    public const string Cancelled = "cancelled";

    public static readonly string[] InFlight = [Queued, Running];
    public static readonly string[] Open = [Pending, Queued, Running];

    public static bool IsTerminal(string state) => state is not (Pending or Queued or Running);
}
