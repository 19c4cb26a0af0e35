using System.Threading.Channels;
using Factory.Contracts.Records;
using Factory.Records;

namespace Factory.ResultsConsumer;

/// <summary>
/// Group commit for the results consumer: each consume hands its record here and waits; one loop takes whatever records
/// are queued when its previous write finishes (at most <see cref="GroupLimit"/>) and stores them with one
/// <see cref="ICompatibilityRecordStore.SaveManyAsync"/>, so records arriving while a write is under way share the next
/// one instead of each paying its own round trips and WAL flush. Nothing waits for a group to fill: a lone record is
/// written at once. Each waiter gets its own record's outcome, or the group's exception (then the message fails into the
/// bus retry policy, as a failed save of its own would).
/// </summary>
public sealed class RecordGroupWriter : IAsyncDisposable, IDisposable
{
    public const int DefaultGroupLimit = 256;

    private readonly ICompatibilityRecordStore _store;
    private readonly Channel<PendingRecord> _queue = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public RecordGroupWriter(ICompatibilityRecordStore store, int groupLimit = DefaultGroupLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupLimit, 1);
        _store = store;
        GroupLimit = groupLimit;
        _loop = Task.Run(WriteGroupsAsync);
    }

    public int GroupLimit { get; }

    /// <summary>Stores the record with whatever else is queued; false when a record with its build id already existed.</summary>
    public Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct)
    {
        var pending = new PendingRecord(record);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(RecordGroupWriter), "the record writer has stopped");
        // A waiter that gives up (its consume cancelled) leaves its record in the group: saving is idempotent, and its
        // message comes back.
        return pending.Outcome.Task.WaitAsync(ct);
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<PendingRecord>(GroupLimit);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < GroupLimit && _queue.Reader.TryRead(out var pending)) group.Add(pending);
            try
            {
                var inserted = await _store.SaveManyAsync(group.Select(p => p.Record).ToList(), CancellationToken.None);
                if (inserted.Count != group.Count)
                    throw new InvalidOperationException($"the record store answered {inserted.Count} outcomes for a group of {group.Count} records");
                for (var i = 0; i < group.Count; i++) group[i].Outcome.TrySetResult(inserted[i]);
            }
            catch (Exception ex)
            {
                foreach (var pending in group) pending.Outcome.TrySetException(ex);
            }
            group.Clear();
        }
    }

    /// <summary>Writes what is queued, then stops taking records.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
