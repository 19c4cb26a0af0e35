using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// Flaky means the same inputs both passed and failed: records of one key and one test suite hash (the same image
/// inputs, the same tests) with both outcomes, recorded within the window. The rate is the share of failed runs among
/// the runs of such inputs; a stable failure (never passed with those inputs) is not flaky and has rate 0.
/// Expired records are not results and are left out.
/// </summary>
public sealed record Flakiness(bool Flaky, double Rate, int Runs, int Failures, string Window)
{
    public const string Explanation =
        "flaky: the same inputs (idempotency key + test suite hash) both passed and failed within the window; rate = failed runs / runs of those inputs";

    public static Flakiness Of(IEnumerable<RecordFacts> records, DateTimeOffset now, TimeSpan window)
    {
        var since = now - window;
        var (runs, failures) = (0, 0);
        foreach (var inputs in records.Where(r => r.RecordedAt >= since && r.Status != RecordStatus.Expired).GroupBy(r => (r.IdempotencyKey, r.TestSuiteHash)))
        {
            var failed = inputs.Count(r => r.Status == RecordStatus.Failed);
            var all = inputs.Count();
            if (failed == 0 || failed == all) continue;
            runs += all;
            failures += failed;
        }
        return new Flakiness(runs > 0, runs == 0 ? 0 : Math.Round((double)failures / runs, 4), runs, failures, Durations.Format(window));
    }
}
