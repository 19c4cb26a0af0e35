using System.Diagnostics;

namespace Factory.Bench;

/// <summary>
/// Items per second when every item of one large plan is reused: bench_matrix's 10,648 combinations (22 × 22 × 22)
/// run once through the whole loop (the bench-only instant engine; this also warms the fleet up for the other
/// rows), then the same plan is submitted `repeats` times, each from its POST until it is seen completed.
/// </summary>
public static class ReusedThroughput
{
    public sealed record Result(int Repeats, int ItemsPerPlan, int Items, int Reused, double Seconds, double ItemsPerSecond, double FirstRunSeconds);

    private static readonly string Plan = BenchManifests.MatrixPlan("bench_reused", Enumerable.Range(0, 22), Enumerable.Range(0, 22), Enumerable.Range(0, 22));

    /// <summary>The plan's first run, through the loop: returns its seconds.</summary>
    public static async Task<double> FirstRunAsync(Fleet fleet, CancellationToken ct)
    {
        Shell.Log("reused throughput: bench_matrix (10648 items) once through the loop, warming the fleet up");
        var first = Stopwatch.StartNew();
        var warm = await fleet.WaitAsync(await fleet.SubmitAsync(Plan, ct), Fleet.IsCompleted, TimeSpan.FromMinutes(60), TimeSpan.FromSeconds(1), ct, items: false);
        var c = warm.GetProperty("counts");
        if (c.GetProperty("passed").GetInt32() + c.GetProperty("reused").GetInt32() != c.GetProperty("total").GetInt32())
            throw new InvalidOperationException($"bench_matrix did not pass on every item:\n{warm}\n{fleet.Logs()}");
        return first.Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(Fleet fleet, int repeats, double firstSeconds, CancellationToken ct)
    {

        Shell.Log($"reused throughput: bench_matrix {repeats} times");
        int items = 0, reused = 0;
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < repeats; r++)
        {
            var view = await fleet.WaitAsync(await fleet.SubmitAsync(Plan, ct), Fleet.IsCompleted, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(10), ct, items: false);
            items += view.GetProperty("counts").GetProperty("total").GetInt32();
            reused += view.GetProperty("counts").GetProperty("reused").GetInt32();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        if (reused != items) throw new InvalidOperationException($"only {reused} of {items} items were reused\n{fleet.Logs()}");
        return new Result(repeats, items / repeats, items, reused, seconds, items / seconds, firstSeconds);
    }
}
