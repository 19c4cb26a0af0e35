using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Explains a record by the key's components against the nearest earlier record of the same manifest and platform:
/// the earlier record with the fewest changed inputs, the newest of those on a tie. Expired records built nothing
/// and are not compared with.
/// </summary>
public static class WhyBuilt
{
    public static BuildExplanation Explain(RecordFacts record, IEnumerable<RecordFacts> sameManifestAndPlatform)
    {
        var earlier = sameManifestAndPlatform
            .Where(r => r.BuildId != record.BuildId && r.RecordedAt < record.RecordedAt && r.Status != RecordStatus.Expired
                        && r.ManifestId == record.ManifestId && r.Platform == record.Platform)
            .OrderByDescending(r => r.RecordedAt)
            .ToList();
        var sameKey = earlier.Where(r => r.IdempotencyKey == record.IdempotencyKey).ToList();
        if (sameKey.FirstOrDefault(r => r.Status == RecordStatus.Passed && r.TestSuiteHash == record.TestSuiteHash) is { } passed)
            return new BuildExplanation(BuildExplanation.Rerun,
                $"rerun: the same inputs (key and test suite) passed before, in build {passed.BuildId}", passed.BuildId, []);
        if (sameKey.FirstOrDefault() is { } previous)
        {
            var changes = InputChanges.Between(previous, record);
            return new BuildExplanation(BuildExplanation.Retested, changes.Count > 0
                ? $"retested without a rebuild because {Join(changes)}"
                : $"retested without a rebuild: the same inputs {previous.Status} before, in build {previous.BuildId}", previous.BuildId, changes);
        }
        var nearest = earlier.Select(r => (Record: r, Changes: InputChanges.Between(r, record)))
            .OrderBy(c => c.Changes.Count).ThenByDescending(c => c.Record.RecordedAt).FirstOrDefault();
        if (nearest.Record is null)
            return new BuildExplanation(BuildExplanation.First, $"built: the first record of {record.ManifestId} on {record.Platform}", null, []);
        return new BuildExplanation(BuildExplanation.Rebuilt, $"rebuilt because {Join(nearest.Changes)}", nearest.Record.BuildId, nearest.Changes);
    }

    private static string Join(IReadOnlyList<InputChange> changes) => string.Join("; ", changes.Select(c => c.Text));
}
