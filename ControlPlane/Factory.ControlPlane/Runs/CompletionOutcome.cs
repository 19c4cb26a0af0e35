namespace Factory.ControlPlane.Runs;

/// <summary>
/// What a completion changed: the plans it may have unblocked (those whose items it finished, freeing budget, and
/// those with items waiting on its key) and the plans it completed.
/// </summary>
public sealed record CompletionOutcome(IReadOnlyList<Guid> Unblocked, IReadOnlyList<Guid> CompletedRuns)
{
    public static CompletionOutcome None { get; } = new([], []);
}
