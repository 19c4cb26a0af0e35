namespace Factory.Evidence;

/// <summary>Why an object may be removed.</summary>
public static class RemovalReason
{
    /// <summary>Only records past their retention refer to it.</summary>
    public const string Expired = "expired";
    /// <summary>No record refers to it, and it is older than Retention:UnreferencedDays.</summary>
    public const string Unreferenced = "unreferenced";
}
