namespace Factory.ControlPlane.Access;

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string PlanSubmitted = "plan.submit";
    public const string PlanCancelled = "plan.cancel";
    public const string DeadLettersReplayed = "dlq.replay";
    public const string DeadLettersPurged = "dlq.purge";
    public const string TokenCreated = "token.create";
    public const string TokenRevoked = "token.revoke";
}
