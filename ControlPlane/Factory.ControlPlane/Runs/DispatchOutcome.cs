using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// What a dispatch pass committed: the builds to send now (the outbox), the items it expired, the plans it completed,
/// and the plans to pass over again at once: <see cref="Again"/> holds those whose claims another pass won meanwhile
/// (their items now attach) and those with more pending items than one pass takes.
/// </summary>
public sealed record DispatchOutcome(IReadOnlyList<ExecuteWorkItem> Outbox, IReadOnlyList<ExpiredItem> Expired, IReadOnlyList<Guid> CompletedRuns,
    IReadOnlyList<Guid> Again)
{
    public static DispatchOutcome None { get; } = new([], [], [], []);
}
