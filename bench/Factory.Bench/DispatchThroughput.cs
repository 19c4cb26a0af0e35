using System.Diagnostics;

namespace Factory.Bench;

/// <summary>
/// Items per second through the whole loop — queue → executor (bench-only instant engine: render, evidence,
/// SBOM, provenance and signatures are real, the build and tests are not) → result → record → plan completed — for
/// one plan of 2,000 combinations never run before (bench_matrix versions 22–31 × 0–9 × 0–19, outside the reused
/// plan's), on a fleet already warm, from its POST until it is seen completed. The CPU each of the fleet's own processes
/// spent per item over that time is read from /proc (PostgreSQL and RabbitMQ are shared with others, so not counted).
/// </summary>
public static class DispatchThroughput
{
    /// <param name="MessagesPerItem">Published in the fleet's virtual host per item, heartbeats included (null when the broker's counters were not read).</param>
    public sealed record Result(int Items, int Built, double Seconds, double ItemsPerSecond, IReadOnlyDictionary<string, double> CpuMsPerItem, double? MessagesPerItem);

    private static readonly string[] Services = ["control-plane-1", "results-consumer-1", "executor-amd64-1", "executor-amd64-2"];

    // The broker's and the database's processes, by command name: they serve every user, not only this fleet.
    private static readonly string[] SharedServices = ["beam.smp", "postgres"];

    public static async Task<Result> RunAsync(Fleet fleet, CancellationToken ct)
    {
        var plan = BenchManifests.MatrixPlan("bench_throughput", Enumerable.Range(22, 10), Enumerable.Range(0, 10), Enumerable.Range(0, 20));
        Shell.Log("dispatch throughput: one plan of 2,000 new items");
        var pids = Services.ToDictionary(s => s, fleet.PidOf);
        await Task.Delay(BrokerMessageCounts.StatisticsInterval, ct); // the warm-up's messages counted before the row starts
        var publishedBefore = await BrokerMessageCounts.PublishedAsync(fleet.VirtualHost, ct);
        await using var traces = await CpuTraces.StartAsync("dispatch_throughput", pids);
        var before = pids.ToDictionary(p => p.Key, p => ProcessUsage.Read(p.Value));
        var machineBefore = MachineUsage.Read();
        var sharedBefore = SharedServices.ToDictionary(s => s, ProcessUsage.CpuSecondsOf);
        var clock = Stopwatch.StartNew();
        var id = await fleet.SubmitAsync(plan, ct);
        var view = await fleet.WaitAsync(id, Fleet.IsCompleted, TimeSpan.FromMinutes(20), TimeSpan.FromMilliseconds(100), ct, items: false);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = pids.ToDictionary(p => p.Key, p => ProcessUsage.Read(p.Value));
        var machineBusy = MachineUsage.Read().BusyPercentSince(machineBefore);
        var shared = SharedServices.ToDictionary(s => s, s => 1000 * (ProcessUsage.CpuSecondsOf(s) - sharedBefore[s]));
        var counts = view.GetProperty("counts");
        int total = counts.GetProperty("total").GetInt32(), passed = counts.GetProperty("passed").GetInt32(), built = counts.GetProperty("built").GetInt32();
        if (passed != total || built != total)
            throw new InvalidOperationException($"expected {total} items built and passed, found:\n{view}\n{fleet.Logs()}");
        var cpu = Services.ToDictionary(s => s, s => 1000 * (after[s].CpuSeconds - before[s].CpuSeconds) / total);
        await Task.Delay(BrokerMessageCounts.StatisticsInterval, ct);
        double? messagesPerItem = null;
        if (publishedBefore is { } first && await BrokerMessageCounts.PublishedAsync(fleet.VirtualHost, ct) is { } last)
        {
            messagesPerItem = (double)(last - first) / total;
            Shell.Log($"dispatch throughput: {last - first} messages published in the fleet's virtual host, {messagesPerItem:F2} per item (heartbeats included)");
        }
        Shell.Log($"dispatch throughput: CPU per item (ms): {string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value:F2}"))}, fleet {cpu.Values.Sum():F2}; the machine was {machineBusy:F0} % busy over {seconds:F1} s; shared services (every user's) per item: {string.Join(", ", shared.Select(s => $"{s.Key} {s.Value / total:F2}"))}");
        return new Result(total, built, seconds, total / seconds, cpu, messagesPerItem);
    }
}
