using Factory.Contracts.Records;

namespace Factory.Records;

/// <summary>Where compatibility records live. Saving is idempotent by build id.</summary>
public interface ICompatibilityRecordStore
{
    /// <summary>Stores the record; false when a record with this build id already exists (nothing changes). A group of one.</summary>
    Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct);
    /// <summary>
    /// Stores the records together, all or none, with the outcome of saving them one by one in order
    /// (<see cref="RecordGroup"/>): per record, whether it was inserted.
    /// </summary>
    Task<IReadOnlyList<bool>> SaveManyAsync(IReadOnlyList<CompatibilityRecord> records, CancellationToken ct);
    Task<CompatibilityRecord?> GetAsync(Guid buildId, CancellationToken ct);
    Task<IReadOnlyList<CompatibilityRecord>> FindByKeyAsync(string idempotencyKey, CancellationToken ct);
    Task<IReadOnlyList<CompatibilityRecord>> ListAsync(RecordQuery query, CancellationToken ct);
    /// <summary>The same records as <see cref="ListAsync"/>, as the facts reviewing needs (no tests, evidence or logs).</summary>
    Task<IReadOnlyList<RecordFacts>> ListFactsAsync(RecordQuery query, CancellationToken ct);
    /// <summary>The distinct keys and the build ids starting with the prefix, at most <paramref name="limit"/> of each, through the indexes.</summary>
    Task<RecordCandidates> FindByPrefixAsync(RecordPrefix prefix, int limit, CancellationToken ct);
    /// <summary>Many records by build id, in one query (those that exist).</summary>
    Task<IReadOnlyList<CompatibilityRecord>> GetManyAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct);
    /// <summary>What reuse needs of every record of these keys, in one query.</summary>
    Task<IReadOnlyList<RecordSummary>> FindSummariesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken ct);
    /// <summary>What reuse needs of these builds' records (those that exist), in one query.</summary>
    Task<IReadOnlyList<RecordSummary>> GetSummariesAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct);
    /// <summary>The content digest each module version had when it was first built.</summary>
    Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(CancellationToken ct);
    /// <summary>The same, for the given module versions only (through the index).</summary>
    Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(IReadOnlyCollection<(string Name, string Version)> modules, CancellationToken ct);
}
