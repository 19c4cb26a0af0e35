namespace Factory.Messaging;

/// <summary>An item waiting in <see cref="GroupCommit{TItem, TOutcome}"/>, and where its caller waits for the outcome.</summary>
internal sealed class GroupMember<TItem, TOutcome>(TItem item)
{
    public TItem Item { get; } = item;
    /// <summary>Completed off the commit loop, so a waiter's continuation never holds up the next group.</summary>
    public TaskCompletionSource<TOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
