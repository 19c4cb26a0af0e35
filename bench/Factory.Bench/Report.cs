using System.Runtime.InteropServices;
using System.Text.Json;

namespace Factory.Bench;

/// <summary>One measure: Factory's number, the raw broker's number from the same run, and Factory ÷ raw.</summary>
public sealed record Row(string Measure, string Unit, double Factory, double Raw, double Ratio);

public sealed record Machine(int Cores, DateTimeOffset Date, string Os, string Runtime, string Broker);

public sealed record Report(Machine Machine, BenchOptions Options, IReadOnlyList<Row> Rows,
    RawBrokerThroughput.Result Raw, DispatchLatency.Result Dispatch, ReusedThroughput.Result Reused)
{
    public static Report Create(BenchOptions options, RawBrokerThroughput.Result raw, DispatchLatency.Result dispatch, ReusedThroughput.Result reused)
    {
        Row Compare(string measure, string unit, double factory, double baseline) => new(measure, unit, factory, baseline, factory / baseline);
        var rows = new List<Row>
        {
            Compare("throughput: reused items/s vs messages/s", "1/s", reused.ItemsPerSecond, raw.MessagesPerSecond),
            Compare("dispatch latency p50 (server clocks)", "ms", dispatch.Server.P50Ms, raw.Latency.P50Ms),
            Compare("dispatch latency p99 (server clocks)", "ms", dispatch.Server.P99Ms, raw.Latency.P99Ms),
            Compare("dispatch latency p50 (from client POST)", "ms", dispatch.Client.P50Ms, raw.Latency.P50Ms),
            Compare("dispatch latency p99 (from client POST)", "ms", dispatch.Client.P99Ms, raw.Latency.P99Ms),
        };
        var machine = new Machine(Environment.ProcessorCount, DateTimeOffset.Now, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, "RabbitMQ " + raw.BrokerVersion);
        return new Report(machine, options, rows, raw, dispatch, reused);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine($"Factory bench — {Machine.Date:yyyy-MM-dd HH:mm zzz}, {Machine.Cores} cores, {Machine.Os}, {Machine.Runtime}, {Machine.Broker}");
        output.WriteLine($"raw (before the fleet started): {Raw.Messages} x 1 KB persistent, confirmed, 1 consumer; latency over {Raw.Latency.Count} one-at-a-time messages");
        output.WriteLine($"factory: 2 amd64 executors; dispatch over {Dispatch.Server.Count} expired one-item plans; " +
            $"reused: core_smoke_matrix x {Reused.Repeats} = {Reused.Items} items ({Reused.Reused} reused) in {Reused.Seconds:0.00} s");
        output.WriteLine();
        output.WriteLine($"{"measure",-42} {"unit",4} {"factory",10} {"raw",10} {"factory/raw",12}");
        foreach (var r in Rows)
            output.WriteLine($"{r.Measure,-42} {r.Unit,4} {r.Factory,10:0.00} {r.Raw,10:0.00} {r.Ratio,12:0.0000}");
        output.WriteLine();
        output.WriteLine($"POST /api/plans response p50/p99: {Dispatch.PostResponse.P50Ms:0.0}/{Dispatch.PostResponse.P99Ms:0.0} ms");
        var dispatched = Dispatch.Warmup + Dispatch.Server.Count;
        if (Dispatch.Stuck > 0)
            output.WriteLine($"{Dispatch.Stuck} of {dispatched} items never completed though their record exists (the result landed before the dispatch transaction committed)");
        if (Dispatch.LeakedKeys > 0)
            output.WriteLine($"{Dispatch.LeakedKeys} time(s) a completed build left its key in flight: the next plan attached to it and never completed (submitted again on a new key)");
        if (Dispatch.StartedFromRecord > 0)
            output.WriteLine($"{Dispatch.StartedFromRecord} of {dispatched} items never showed started_at (the result landed before the start notice): the record's start time was used" +
                (Dispatch.RecordStartLag is { } lag ? $", which trails started_at by {lag.P50Ms:0.0} ms p50 where both exist" : ""));
    }

    public async Task WriteJsonAsync(string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        Shell.Log($"wrote {path}");
    }
}
