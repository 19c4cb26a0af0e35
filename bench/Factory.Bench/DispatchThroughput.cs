using System.Diagnostics;

namespace Factory.Bench;

/// <summary>
/// Items per second through the whole loop — queue → executor (bench-only instant engine: render, evidence,
/// SBOM, provenance and signatures are real, the build and tests are not) → result → record → plan completed — for
/// one plan of 2,000 combinations never run before (bench_matrix versions 22–31 × 0–9 × 0–19, outside the reused
/// plan's), on a fleet already warm, from its POST until it is seen completed.
/// </summary>
public static class DispatchThroughput
{
    public sealed record Result(int Items, int Built, double Seconds, double ItemsPerSecond);

    public static async Task<Result> RunAsync(Fleet fleet, CancellationToken ct)
    {
        var plan = BenchManifests.MatrixPlan("bench_throughput", Enumerable.Range(22, 10), Enumerable.Range(0, 10), Enumerable.Range(0, 20));
        Shell.Log("dispatch throughput: one plan of 2,000 new items");
        var clock = Stopwatch.StartNew();
        var id = await fleet.SubmitAsync(plan, ct);
        var view = await fleet.WaitAsync(id, Fleet.IsCompleted, TimeSpan.FromMinutes(20), TimeSpan.FromMilliseconds(100), ct, items: false);
        var seconds = clock.Elapsed.TotalSeconds;
        var counts = view.GetProperty("counts");
        int total = counts.GetProperty("total").GetInt32(), passed = counts.GetProperty("passed").GetInt32(), built = counts.GetProperty("built").GetInt32();
        if (passed != total || built != total)
            throw new InvalidOperationException($"expected {total} items built and passed, found:\n{view}\n{fleet.Logs()}");
        return new Result(total, built, seconds, total / seconds);
    }
}
