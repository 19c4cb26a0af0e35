using Factory.Contracts.Records;
using Factory.Records;

namespace Factory.UnitTests.Support;

/// <summary>
/// A fake record store for the group writer's concurrency (<see cref="CallGates"/>): a write can be held until the test
/// lets it go or made to fail. It keeps every group it was given and stores one by one,
/// a build id once. Only saving is implemented.
/// </summary>
public sealed class GatedRecordStore : ICompatibilityRecordStore
{
    private readonly CallGates _gates = new();
    private readonly object _lock = new();
    private readonly List<IReadOnlyList<CompatibilityRecord>> _groups = [];
    private readonly HashSet<Guid> _stored = [];

    /// <summary>Decides, per write (numbered from 0), to fail it by throwing; null lets it through.</summary>
    public Func<int, Exception?> Failure { get => _gates.Failure; init => _gates.Failure = value; }

    /// <summary>Writes run at any moment: at most one at a time is what a single writer loop promises.</summary>
    public int MostWritesAtOnce => _gates.MostAtOnce;

    public IReadOnlyList<IReadOnlyList<CompatibilityRecord>> Groups { get { lock (_lock) return _groups.ToList(); } }
    public IReadOnlySet<Guid> Stored { get { lock (_lock) return _stored.ToHashSet(); } }

    public void AlreadyStored(Guid buildId) { lock (_lock) _stored.Add(buildId); }

    /// <summary>Write number <paramref name="call"/> waits until the returned source is completed (or failed).</summary>
    public TaskCompletionSource Hold(int call) => _gates.Hold(call);

    /// <summary>Completes when write number <paramref name="call"/> has been handed its group.</summary>
    public Task Started(int call) => _gates.Started(call);

    public Task<IReadOnlyList<bool>> SaveManyAsync(IReadOnlyList<CompatibilityRecord> records, CancellationToken ct) =>
        _gates.PassAsync(_ => { lock (_lock) _groups.Add(records.ToList()); },
            () => { lock (_lock) return (IReadOnlyList<bool>)records.Select(r => _stored.Add(r.BuildId)).ToList(); }, ct);

    public async Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct) => (await SaveManyAsync([record], ct))[0];

    public Task<CompatibilityRecord?> GetAsync(Guid buildId, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<CompatibilityRecord>> FindByKeyAsync(string idempotencyKey, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<CompatibilityRecord>> ListAsync(RecordQuery query, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<RecordFacts>> ListFactsAsync(RecordQuery query, CancellationToken ct) => throw new NotSupportedException();
    public Task<RecordCandidates> FindByPrefixAsync(RecordPrefix prefix, int limit, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<CompatibilityRecord>> GetManyAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<RecordSummary>> FindSummariesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<RecordSummary>> GetSummariesAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(IReadOnlyCollection<(string Name, string Version)> modules, CancellationToken ct) =>
        throw new NotSupportedException();
}
