using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Builds a manifest's matrix from its records in one pass: records are grouped by cell (module combination ×
/// platform); a cell's newest record gives its status, its last <c>strip</c> records the strip, and its records in the
/// window its flakiness. Linear in the records, so 10,000 records take milliseconds.
/// </summary>
public static class MatrixBuilder
{
    public static MatrixView Build(string manifestId, IEnumerable<RecordFacts> records, DateTimeOffset now, int strip, TimeSpan window, MatrixFilter filter)
    {
        var cells = new Dictionary<(string Modules, string Platform), List<RecordFacts>>();
        var slotVersions = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var count = 0;
        foreach (var record in records)
        {
            if (record.ManifestId != manifestId) continue;
            count++;
            var modules = CellId.Combination(record.Modules);
            if (!slotVersions.ContainsKey(modules))
                slotVersions[modules] = record.Modules.ToDictionary(m => m.Slot, m => m.Version, StringComparer.Ordinal);
            if (!cells.TryGetValue((modules, record.Platform), out var list)) cells[(modules, record.Platform)] = list = [];
            list.Add(record);
        }

        var platforms = cells.Keys.Select(k => k.Platform).Distinct().Where(p => filter.Platform is null || p == filter.Platform).Order(StringComparer.Ordinal).ToList();
        var counts = CellState.All.ToDictionary(s => s, _ => 0);
        var rows = new List<MatrixRow>();
        foreach (var modules in slotVersions.Keys.Order(StringComparer.Ordinal))
        {
            var versions = slotVersions[modules];
            if (filter.Modules is { } wanted && wanted.Any(w => versions.GetValueOrDefault(w.Key) != w.Value)) continue;
            var row = new Dictionary<string, MatrixCell>(StringComparer.Ordinal);
            foreach (var platform in platforms)
            {
                if (!cells.TryGetValue((modules, platform), out var list)) continue;
                var cell = Cell(list, now, strip, window);
                if (filter.HideFlaky && cell.State == CellState.Flaky) continue;
                if (filter.State is { } state && cell.State != state) continue;
                row[platform] = cell;
            }
            if (row.Count == 0) continue;
            foreach (var cell in row.Values) counts[cell.State] = counts.GetValueOrDefault(cell.State) + 1;
            rows.Add(new MatrixRow(modules, versions, row));
        }
        return new MatrixView(manifestId, platforms, rows, count, counts, strip, Durations.Format(window), Flakiness.Explanation);
    }

    private static MatrixCell Cell(List<RecordFacts> records, DateTimeOffset now, int strip, TimeSpan window)
    {
        records.Sort((a, b) => b.RecordedAt.CompareTo(a.RecordedAt));
        var newest = records[0];
        var flakiness = Flakiness.Of(records, now, window);
        var state = flakiness.Flaky ? CellState.Flaky : CellState.IsQuarantined(newest) ? CellState.Quarantined : newest.Status;
        return new MatrixCell(state, newest.Status, newest.Reason, newest.BuildId, newest.IdempotencyKey, newest.RecordedAt, flakiness,
            records.Take(strip).Select(r => new StripEntry(r.BuildId, r.Status, r.Reason, r.RecordedAt)).ToList());
    }
}
