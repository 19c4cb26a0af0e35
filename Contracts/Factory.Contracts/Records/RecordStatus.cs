using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

public static class RecordStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    /// <summary>The item's deadline passed before an executor picked it up: nothing was built.</summary>
    public const string Expired = "expired";
}
