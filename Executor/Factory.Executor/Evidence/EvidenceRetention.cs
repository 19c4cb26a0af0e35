using Factory.Contracts.Records;

namespace Factory.Executor.Evidence;

/// <summary>Why an object may be removed.</summary>
public static class RemovalReason
{
    /// <summary>Only records past their retention refer to it.</summary>
    public const string Expired = "expired";
    /// <summary>No record refers to it, and it is older than Retention:UnreferencedDays.</summary>
    public const string Unreferenced = "unreferenced";
}

public sealed record RetentionCandidate(EvidenceObject Object, string Reason);

public sealed record RetentionPlan(IReadOnlyList<RetentionCandidate> Remove, int Kept, IReadOnlySet<string> RetainedUris);

/// <summary>
/// The retention policy as a pure function of the records, the stored objects and the time. Objects are content-addressed
/// and shared, so an object is kept as long as any retained record refers to it, whatever other records say.
/// </summary>
public static class EvidenceRetention
{
    public static bool IsRetained(CompatibilityRecord record, bool newestOfKey, RetentionOptions options, DateTimeOffset now) => record.Status switch
    {
        RecordStatus.Failed => record.RecordedAt >= now - TimeSpan.FromDays(options.FailedDays),
        RecordStatus.Passed => !options.PassingWhileCurrent || newestOfKey,
        _ => true,
    };

    public static RetentionPlan Plan(IEnumerable<CompatibilityRecord> records, IEnumerable<EvidenceObject> objects, RetentionOptions options, DateTimeOffset now)
    {
        var all = records.ToList();
        var newest = all.GroupBy(r => r.IdempotencyKey)
            .Select(g => g.OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.BuildId).First().BuildId)
            .ToHashSet();
        var retained = new HashSet<string>(StringComparer.Ordinal);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in all)
        {
            var keep = IsRetained(record, newest.Contains(record.BuildId), options, now);
            foreach (var evidence in record.Evidence)
            {
                referenced.Add(evidence.Uri);
                if (keep) retained.Add(evidence.Uri);
            }
        }

        var remove = new List<RetentionCandidate>();
        var kept = 0;
        foreach (var o in objects)
        {
            var reason = retained.Contains(o.Uri) || o.LastModified > now - options.MinAge ? null
                : referenced.Contains(o.Uri) ? RemovalReason.Expired
                : o.LastModified <= now - TimeSpan.FromDays(options.UnreferencedDays) ? RemovalReason.Unreferenced
                : null;
            if (reason is null) kept++;
            else remove.Add(new RetentionCandidate(o, reason));
        }
        return new RetentionPlan(remove, kept, retained);
    }
}

public sealed record CollectedObject(string Uri, long Size, string Reason, DateTimeOffset LastModified);

public sealed record CollectionReport(string Store, bool DryRun, int Scanned, int Kept, IReadOnlyList<CollectedObject> Removed)
{
    public long RemovedBytes => Removed.Sum(r => r.Size);
}

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
