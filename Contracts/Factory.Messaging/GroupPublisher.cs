using System.Diagnostics;

namespace Factory.Messaging;

/// <summary>
/// Publishes events several to a message: each caller hands in one item, and every item queued while the previous
/// message was being published goes out in the next one (<see cref="GroupCommit{TItem, TOutcome}"/>). A caller returns
/// once the message carrying its item is published (confirmed, where the bus confirms), as if it had published its own;
/// if that publish fails or takes longer than the timeout (<see cref="DefaultTimeout"/>), every caller of the group gets
/// the error, and its delivery is retried like that of any other failed publish. A lone item goes at once, so a quiet
/// fleet waits no longer than before, and a busy one sends one message for many items. Each publish is a span of its
/// own (<see cref="MessagingTelemetry"/>) linked to the span each event was handed in from, so an item's trace still
/// leads to the message that announced it.
/// </summary>
public sealed class GroupPublisher<TItem, TGroup> : IAsyncDisposable, IDisposable where TGroup : class
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly GroupCommit<(TItem Item, ActivityContext From), bool> _groups;

    /// <param name="publish">Publishes one message: the bus's own publish, as the groups outlive any one consume.</param>
    /// <param name="group">Makes the message that carries a group.</param>
    public GroupPublisher(Func<TGroup, CancellationToken, Task> publish, Func<IReadOnlyList<TItem>, TGroup> group,
        int groupLimit = GroupCommit<TItem, bool>.DefaultGroupLimit, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        _groups = new GroupCommit<(TItem Item, ActivityContext From), bool>($"the {typeof(TGroup).Name} publisher", async items =>
        {
            var links = MessagingTelemetry.Source.HasListeners() ? items.Where(i => i.From != default).Select(i => new ActivityLink(i.From)).ToList() : null;
            using var span = MessagingTelemetry.Source.StartActivity($"publish {typeof(TGroup).Name}", ActivityKind.Producer, default(ActivityContext),
                [new("factory.group_size", items.Count)], links);
            using var expiry = new CancellationTokenSource(limit);
            try
            {
                await publish(group(items.Select(i => i.Item).ToList()), expiry.Token);
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested)
            {
                throw new TimeoutException($"publishing {typeof(TGroup).Name} ({items.Count} items) took longer than {limit.TotalSeconds:0.###} s");
            }
            return new bool[items.Count];
        }, groupLimit);
    }

    /// <summary>Publishes the item with whatever else is queued; returns once that message is published.</summary>
    public Task PublishAsync(TItem item, CancellationToken ct) => _groups.AddAsync((item, Activity.Current?.Context ?? default), ct);

    /// <summary>Publishes what is queued, then stops taking items.</summary>
    public ValueTask DisposeAsync() => _groups.DisposeAsync();

    public void Dispose() => _groups.Dispose();
}
