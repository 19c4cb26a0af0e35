using System.Threading.Channels;

namespace Factory.Messaging;

/// <summary>
/// Group commit: each caller hands in one item and waits for its own outcome; one loop takes whatever items are queued
/// when its previous commit ends (at most <see cref="GroupLimit"/>) and commits them with one call. Nothing waits for a
/// group to fill: a lone item is committed at once, so a quiet system adds nothing to any caller's wait, and a busy one
/// makes few commits. Each waiter gets its own item's outcome, or its group's exception; one commit runs at a time.
/// Used for the results consumer's record writes and for the events published several items to a message
/// (<see cref="GroupPublisher{TItem, TGroup}"/>).
/// </summary>
public sealed class GroupCommit<TItem, TOutcome> : IAsyncDisposable, IDisposable
{
    public const int DefaultGroupLimit = 256;

    private readonly string _name;
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TOutcome>>> _commit;
    private readonly Channel<GroupMember<TItem, TOutcome>> _queue =
        Channel.CreateUnbounded<GroupMember<TItem, TOutcome>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="name">What commits, for errors (e.g. "the record writer").</param>
    /// <param name="commit">Commits a group; answers one outcome per item, in order.</param>
    /// <param name="groupLimit">The most items in one commit.</param>
    public GroupCommit(string name, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TOutcome>>> commit, int groupLimit = DefaultGroupLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupLimit, 1);
        _name = name;
        _commit = commit;
        GroupLimit = groupLimit;
        // The loop must not inherit the context of whoever made this (a consume's trace, say), or every later commit would
        // show up inside that one consume.
        using (ExecutionContext.SuppressFlow()) _loop = Task.Run(CommitGroupsAsync);
    }

    public int GroupLimit { get; }

    /// <summary>Commits the item with whatever else is queued, and answers its outcome.</summary>
    public Task<TOutcome> AddAsync(TItem item, CancellationToken ct)
    {
        var member = new GroupMember<TItem, TOutcome>(item);
        if (!_queue.Writer.TryWrite(member)) throw new ObjectDisposedException(_name, $"{_name} has stopped");
        // A waiter that gives up (its consume cancelled, say) leaves its item in the group: every use here is idempotent.
        return member.Outcome.Task.WaitAsync(ct);
    }

    private async Task CommitGroupsAsync()
    {
        var group = new List<GroupMember<TItem, TOutcome>>(GroupLimit);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < GroupLimit && _queue.Reader.TryRead(out var member)) group.Add(member);
            try
            {
                var outcomes = await _commit(group.Select(m => m.Item).ToList());
                if (outcomes.Count != group.Count)
                    throw new InvalidOperationException($"{_name} answered {outcomes.Count} outcomes for a group of {group.Count}");
                for (var i = 0; i < group.Count; i++) group[i].Outcome.TrySetResult(outcomes[i]);
            }
            catch (Exception ex)
            {
                foreach (var member in group) member.Outcome.TrySetException(ex);
            }
            group.Clear();
        }
    }

    /// <summary>Commits what is queued, then stops taking items.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
