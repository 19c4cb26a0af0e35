using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Compares a manifest's matrix on two sides (each side is a set of records: the matrix as it stood at a time, or one
/// plan's records). A cell's result on a side is its newest record there that is not expired (an expired record
/// tested nothing), else its newest.
/// </summary>
public static class MatrixComparison
{
    public static Comparison Compare(string manifestId, string beforeLabel, IEnumerable<RecordFacts> before, string afterLabel, IEnumerable<RecordFacts> after)
    {
        var was = Newest(manifestId, before);
        var now = Newest(manifestId, after);
        var (newlyFailing, newlyPassing, stillFailing, added, removed) = (new List<ComparedCell>(), new List<ComparedCell>(), new List<ComparedCell>(), new List<ComparedCell>(), new List<ComparedCell>());
        var unchanged = 0;
        foreach (var cell in was.Keys.Union(now.Keys).OrderBy(c => c.Modules, StringComparer.Ordinal).ThenBy(c => c.Platform, StringComparer.Ordinal))
        {
            var (b, a) = (was.GetValueOrDefault(cell), now.GetValueOrDefault(cell));
            var compared = new ComparedCell(cell.Modules, cell.Platform, Result(b), Result(a), b is not null && a is not null ? InputChanges.Between(b, a) : []);
            var list = (b, a) switch
            {
                (null, _) => added,
                (_, null) => removed,
                ({ Status: RecordStatus.Failed }, { Status: RecordStatus.Failed }) => stillFailing,
                (_, { Status: RecordStatus.Failed }) => newlyFailing,
                ({ Status: not RecordStatus.Passed }, { Status: RecordStatus.Passed }) => newlyPassing,
                _ => null,
            };
            if (list is null) unchanged++;
            else list.Add(compared);
        }
        return new Comparison(manifestId, beforeLabel, afterLabel, newlyFailing, newlyPassing, stillFailing, added, removed, unchanged);
    }

    private static Dictionary<CellId, RecordFacts> Newest(string manifestId, IEnumerable<RecordFacts> records)
    {
        var newest = new Dictionary<CellId, RecordFacts>();
        foreach (var record in records)
        {
            if (record.ManifestId != manifestId) continue;
            var cell = CellId.Of(record);
            if (!newest.TryGetValue(cell, out var kept) || Better(record, kept)) newest[cell] = record;
        }
        return newest;
    }

    private static bool Better(RecordFacts candidate, RecordFacts kept)
    {
        var (candidateExpired, keptExpired) = (candidate.Status == RecordStatus.Expired, kept.Status == RecordStatus.Expired);
        if (candidateExpired != keptExpired) return keptExpired;
        return candidate.RecordedAt > kept.RecordedAt;
    }

    private static CellResult? Result(RecordFacts? record) =>
        record is null ? null : new CellResult(record.BuildId, record.IdempotencyKey, record.Status, record.Reason, record.RecordedAt);
}
