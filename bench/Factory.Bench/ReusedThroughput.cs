using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Factory.Bench;

/// <summary>
/// Items completed per second when every item is reused: core_smoke_matrix runs once (building what is not
/// built yet), then is submitted R times back to back; the wall time runs from the first submit to the
/// moment the last plan is seen completed. Its platforms are narrowed to the fleet's (amd64 only: 4 items,
/// not the plan's 7, which would be refused for want of an arm64 executor).
/// </summary>
public static partial class ReusedThroughput
{
    public sealed record Result(int Repeats, int ItemsPerPlan, int Items, int Reused, double Seconds, double ItemsPerSecond, int WarmupBuilt);

    public static async Task<Result> RunAsync(Fleet fleet, int repeats, CancellationToken ct)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(fleet.Manifests, "plans/core_smoke_matrix.yaml"), ct);
        if (!PlatformsLine().IsMatch(source)) throw new InvalidOperationException("core_smoke_matrix.yaml has no platforms line");
        var plan = PlatformsLine().Replace(source, $"platforms: [{string.Join(", ", fleet.Platforms)}]");

        Shell.Log("reused throughput: core_smoke_matrix once, building what is not built yet");
        var first = await fleet.WaitCompletedAsync(await fleet.SubmitAsync(plan, ct), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500), ct);
        var summary = first.GetProperty("summary");
        if (summary.GetProperty("passed").GetInt32() != summary.GetProperty("total").GetInt32())
            throw new InvalidOperationException($"core_smoke_matrix did not pass on every item:\n{first}\n{fleet.Logs()}");

        Shell.Log($"reused throughput: core_smoke_matrix {repeats} times");
        var clock = Stopwatch.StartNew();
        var ids = new List<Guid>();
        for (var r = 0; r < repeats; r++) ids.Add(await fleet.SubmitAsync(plan, ct));
        int items = 0, reused = 0;
        foreach (var id in ids)
        {
            var view = await fleet.WaitCompletedAsync(id, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(20), ct);
            items += view.GetProperty("counts").GetProperty("total").GetInt32();
            reused += view.GetProperty("counts").GetProperty("reused").GetInt32();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(repeats, items / repeats, items, reused, seconds, items / seconds, summary.GetProperty("built").GetInt32());
    }

    [GeneratedRegex(@"(?m)^platforms:.*$")]
    private static partial Regex PlatformsLine();
}
