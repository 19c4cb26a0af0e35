using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// The records of one cell over time, newest first, across base digests and test suites; where its newest failing
/// streak began (first failed) and where that streak ended (first fixed), each with the input change that explains
/// it; and its flakiness over the window.
/// </summary>
public sealed record CellHistory(CellId Cell, IReadOnlyList<HistoryEntry> Records, Transition? FirstFailed, Transition? FirstFixed, Flakiness Flakiness,
    string FlakinessRule)
{
    public static CellHistory Of(CellId cell, IEnumerable<RecordFacts> records, DateTimeOffset now, TimeSpan window)
    {
        var mine = records.Where(r => CellId.Of(r) == cell).OrderBy(r => r.RecordedAt).ThenBy(r => r.BuildId).ToList();
        var seen = new HashSet<(string, string)>();
        var entries = new List<HistoryEntry>(mine.Count);
        foreach (var r in mine)
            entries.Add(new HistoryEntry(r.BuildId, r.IdempotencyKey, r.PlanId, r.Status, r.Reason, r.TestSuiteHash, r.BaseDigest, r.TemplateVersion, r.Image,
                r.RecordedAt, !seen.Add((r.IdempotencyKey, r.TestSuiteHash))));
        entries.Reverse();

        var results = mine.Where(r => r.Status != RecordStatus.Expired).ToList();
        var streakStart = -1;
        var streakEnd = -1;
        for (var i = 0; i < results.Count; i++)
        {
            var failed = results[i].Status == RecordStatus.Failed;
            var wasFailed = i > 0 && results[i - 1].Status == RecordStatus.Failed;
            if (failed && !wasFailed) (streakStart, streakEnd) = (i, -1);
            else if (!failed && wasFailed && streakStart >= 0) streakEnd = i;
        }
        var firstFailed = streakStart < 0 ? null : TransitionAt(results, streakStart, "failed");
        var firstFixed = streakEnd < 0 ? null : TransitionAt(results, streakEnd, "fixed");
        return new CellHistory(cell, entries, firstFailed, firstFixed, Flakiness.Of(mine, now, window), Flakiness.Explanation);
    }

    private static Transition TransitionAt(List<RecordFacts> results, int index, string what)
    {
        var record = results[index];
        if (index == 0)
            return new Transition(record.BuildId, record.RecordedAt, null, [], $"{what} in the cell's first record");
        var previous = results[index - 1];
        var changes = InputChanges.Between(previous, record);
        var explanation = changes.Count > 0
            ? $"{what} when {string.Join("; ", changes.Select(c => c.Text))}"
            : $"{what} with the same inputs as build {previous.BuildId} (key and test suite unchanged): not an input change, see the flake rate";
        return new Transition(record.BuildId, record.RecordedAt, previous.BuildId, changes, explanation);
    }
}
