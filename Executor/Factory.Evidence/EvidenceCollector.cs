using Factory.Contracts.Records;

namespace Factory.Evidence;

/// <summary>Applies the retention policy to one store (<c>factory evidence gc</c>).</summary>
public sealed class EvidenceCollector(IEvidenceStore store, RetentionOptions options, TimeProvider clock)
{
    /// <param name="records">Every record that may refer to this store's objects (read before the objects are listed).</param>
    public async Task<CollectionReport> CollectAsync(IReadOnlyList<CompatibilityRecord> records, bool dryRun, CancellationToken ct)
    {
        var objects = new List<EvidenceObject>();
        await foreach (var o in store.ListAsync(ct)) objects.Add(o);
        var now = clock.GetUtcNow();
        var plan = EvidenceRetention.Plan(records, objects, options, now);
        var removed = new List<CollectedObject>();
        var kept = plan.Kept;
        foreach (var candidate in plan.Remove)
        {
            if (!dryRun)
            {
                // Looked at again just before it goes: a put since the listing (a new record on its way) renews it.
                var current = await store.StatAsync(candidate.Object.Uri, ct);
                if (current is null) continue;
                if (current.LastModified > clock.GetUtcNow() - options.MinAge)
                {
                    kept++;
                    continue;
                }
                if (!await store.DeleteAsync(candidate.Object.Uri, ct)) continue;
            }
            removed.Add(new CollectedObject(candidate.Object.Uri, candidate.Object.Size, candidate.Reason, candidate.Object.LastModified));
        }
        return new CollectionReport(store.Description, dryRun, objects.Count, kept, removed);
    }
}
