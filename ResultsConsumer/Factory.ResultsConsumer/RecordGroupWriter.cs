using Factory.Contracts.Records;
using Factory.Messaging;
using Factory.Records;

namespace Factory.ResultsConsumer;

/// <summary>
/// Group commit for the results consumer: each consume hands its record here and waits; records queued while a write
/// is under way share the next one (<see cref="GroupCommit{TItem, TOutcome}"/>, at most <see cref="GroupLimit"/>),
/// stored with one <see cref="ICompatibilityRecordStore.SaveManyAsync"/> instead of each paying its own round trips and
/// WAL flush. A lone record is written at once. Each waiter gets its own record's outcome, or the group's exception (then
/// the message fails into the bus retry policy, as a failed save of its own would).
/// </summary>
public sealed class RecordGroupWriter : IAsyncDisposable, IDisposable
{
    public const int DefaultGroupLimit = GroupCommit<CompatibilityRecord, bool>.DefaultGroupLimit;

    private readonly GroupCommit<CompatibilityRecord, bool> _groups;

    public RecordGroupWriter(ICompatibilityRecordStore store, int groupLimit = DefaultGroupLimit) =>
        _groups = new("the record writer", records => store.SaveManyAsync(records, CancellationToken.None), groupLimit);

    public int GroupLimit => _groups.GroupLimit;

    /// <summary>Stores the record with whatever else is queued; false when a record with its build id already existed.</summary>
    public Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct) => _groups.AddAsync(record, ct);

    /// <summary>Writes what is queued, then stops taking records.</summary>
    public ValueTask DisposeAsync() => _groups.DisposeAsync();

    public void Dispose() => _groups.Dispose();
}
