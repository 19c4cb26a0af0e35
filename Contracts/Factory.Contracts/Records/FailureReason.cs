using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

/// <summary>Why a combination failed; infrastructure errors are never a reason: they are retried.</summary>
public static class FailureReason
{
    public const string BuildFailed = "build_failed";
    public const string TestFailed = "test_failed";
    public const string SizeLimitExceeded = "size_limit_exceeded";
    public const string DeadlinePassed = "deadline_passed";
}
