using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>What one pass over lapsed leases committed: builds to send again, and what completing builds whose record was found changed.</summary>
public sealed record LeaseOutcome(IReadOnlyList<ExecuteWorkItem> Outbox, CompletionOutcome Completion, int Lapsed)
{
    public static LeaseOutcome None { get; } = new([], CompletionOutcome.None, 0);
}
