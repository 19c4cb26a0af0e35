using Factory.Contracts.Records;

namespace Factory.Evidence;

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
