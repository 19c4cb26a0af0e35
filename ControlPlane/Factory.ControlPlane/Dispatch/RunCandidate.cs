namespace Factory.ControlPlane.Dispatch;

/// <summary>
/// An open plan as the dispatcher sees it: its priority and age, its concurrency budget and how much of it is used
/// (<see cref="InFlight"/>: items queued or running, attached ones included), and the first of its pending items.
/// </summary>
public sealed record RunCandidate(Guid RunId, int Priority, DateTimeOffset SubmittedAt, int? Concurrency, int InFlight, IReadOnlyList<PendingItem> Pending)
{
    public int Budget => Concurrency is { } limit ? Math.Max(0, limit - InFlight) : int.MaxValue;
}
