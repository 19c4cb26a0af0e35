using Factory.Contracts.Records;

namespace Factory.Records;

/// <summary>Where compatibility records live. Saving is idempotent by build id.</summary>
public interface ICompatibilityRecordStore
{
    /// <summary>Stores the record; false when a record with this build id already exists (nothing changes).</summary>
    Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct);
    Task<CompatibilityRecord?> GetAsync(Guid buildId, CancellationToken ct);
    Task<IReadOnlyList<CompatibilityRecord>> FindByKeyAsync(string idempotencyKey, CancellationToken ct);
    Task<IReadOnlyList<CompatibilityRecord>> ListAsync(RecordQuery query, CancellationToken ct);
    /// <summary>The content digest each module version had when it was first built.</summary>
    Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(CancellationToken ct);
}
