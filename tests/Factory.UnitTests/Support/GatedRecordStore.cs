using Factory.Contracts.Records;
using Factory.Records;

namespace Factory.UnitTests.Support;

/// <summary>
/// A fake record store for the group writer's concurrency: a write can be held until the test lets it go or made to
/// fail (what a real database cannot be made to do on cue). It keeps every group it was given and stores one by one,
/// a build id once. Only saving is implemented.
/// </summary>
public sealed class GatedRecordStore : ICompatibilityRecordStore
{
    private readonly object _lock = new();
    private readonly List<IReadOnlyList<CompatibilityRecord>> _groups = [];
    private readonly HashSet<Guid> _stored = [];
    private readonly Dictionary<int, TaskCompletionSource> _gates = [];
    private readonly Dictionary<int, TaskCompletionSource> _started = [];
    private int _inFlight;

    /// <summary>Decides, per write (numbered from 0), to fail it by throwing; null lets it through.</summary>
    public Func<int, Exception?> Failure { get; init; } = _ => null;

    /// <summary>Writes run at any moment: at most one at a time is what a single writer loop promises.</summary>
    public int MostWritesAtOnce { get; private set; }

    public IReadOnlyList<IReadOnlyList<CompatibilityRecord>> Groups { get { lock (_lock) return _groups.ToList(); } }
    public IReadOnlySet<Guid> Stored { get { lock (_lock) return _stored.ToHashSet(); } }

    public void AlreadyStored(Guid buildId) { lock (_lock) _stored.Add(buildId); }

    /// <summary>Write number <paramref name="call"/> waits until the returned source is completed (or failed).</summary>
    public TaskCompletionSource Hold(int call) { lock (_lock) return Gate(_gates, call); }

    /// <summary>Completes when write number <paramref name="call"/> has been handed its group.</summary>
    public Task Started(int call) { lock (_lock) return Gate(_started, call).Task; }

    public async Task<IReadOnlyList<bool>> SaveManyAsync(IReadOnlyList<CompatibilityRecord> records, CancellationToken ct)
    {
        int call;
        Task held;
        lock (_lock)
        {
            call = _groups.Count;
            _groups.Add(records.ToList());
            MostWritesAtOnce = Math.Max(MostWritesAtOnce, ++_inFlight);
            held = _gates.TryGetValue(call, out var gate) ? gate.Task : Task.CompletedTask;
            Gate(_started, call).TrySetResult();
        }
        try
        {
            // A hold no test lets go of (the test failed first) ends, so that disposing the writer does not hang the run.
            await held.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Yield();
            if (Failure(call) is { } failure) throw failure;
            lock (_lock) return records.Select(r => _stored.Add(r.BuildId)).ToList();
        }
        finally
        {
            lock (_lock) _inFlight--;
        }
    }

    public async Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct) => (await SaveManyAsync([record], ct))[0];

    private static TaskCompletionSource Gate(Dictionary<int, TaskCompletionSource> gates, int call)
    {
        if (!gates.TryGetValue(call, out var gate)) gates[call] = gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return gate;
    }

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
