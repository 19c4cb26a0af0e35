using System.Runtime.InteropServices;
using System.Text.Json;

namespace Factory.Bench;

/// <summary>One measure with a stable id: Factory's number, its baseline's number from the same run (named by Against), and Factory ÷ baseline.</summary>
public sealed record Row(string Id, string Measure, string Unit, double Factory, double Baseline, double Ratio, string Against);

public sealed record Machine(int Cores, DateTimeOffset Date, string Os, string Runtime, string? Broker);

public sealed record Report(Machine Machine, BenchOptions Options, IReadOnlyList<Row> Rows,
    RawBrokerThroughput.Result? Raw, DispatchLatency.Result? Dispatch, ReusedThroughput.Result? Reused, PlanRender100k.Result? PlanRender)
{
    private const string RawBroker = "raw RabbitMQ.Client";

    public static Report Create(BenchOptions options, RawBrokerThroughput.Result? raw, DispatchLatency.Result? dispatch, ReusedThroughput.Result? reused,
        PlanRender100k.Result? render)
    {
        Row Compare(string id, string measure, string unit, double factory, double baseline, string against) => new(id, measure, unit, factory, baseline, factory / baseline, against);
        var rows = new List<Row>();
        if (render is not null)
            rows.Add(Compare(PlanRender100k.Id, "plan render --json, 100k items, median", "s", render.FactoryMedianSeconds, render.PythonMedianSeconds, "python3 plan_render.py"));
        if (raw is not null && dispatch is not null && reused is not null)
        {
            rows.Add(Compare("reused_throughput", "throughput: reused items/s vs messages/s", "1/s", reused.ItemsPerSecond, raw.MessagesPerSecond, RawBroker));
            rows.Add(Compare("dispatch_latency_p50", "dispatch latency p50 (server clocks)", "ms", dispatch.Server.P50Ms, raw.Latency.P50Ms, RawBroker));
            rows.Add(Compare("dispatch_latency_p99", "dispatch latency p99 (server clocks)", "ms", dispatch.Server.P99Ms, raw.Latency.P99Ms, RawBroker));
            rows.Add(Compare("dispatch_latency_client_p50", "dispatch latency p50 (from client POST)", "ms", dispatch.Client.P50Ms, raw.Latency.P50Ms, RawBroker));
            rows.Add(Compare("dispatch_latency_client_p99", "dispatch latency p99 (from client POST)", "ms", dispatch.Client.P99Ms, raw.Latency.P99Ms, RawBroker));
        }
        var machine = new Machine(Environment.ProcessorCount, DateTimeOffset.Now, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, raw is null ? null : "RabbitMQ " + raw.BrokerVersion);
        return new Report(machine, options, rows, raw, dispatch, reused, render);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine($"Factory bench — {Machine.Date:yyyy-MM-dd HH:mm zzz}, {Machine.Cores} cores, {Machine.Os}, {Machine.Runtime}{(Machine.Broker is null ? "" : ", " + Machine.Broker)}");
        if (PlanRender is { } render)
            output.WriteLine($"{PlanRender100k.Id}: {render.Items} items, {render.Runs} whole-process runs of each, alternating; " +
                $"factory {string.Join(" ", render.FactorySeconds.Select(s => s.ToString("0.00")))} s, python {string.Join(" ", render.PythonSeconds.Select(s => s.ToString("0.00")))} s; " +
                $"load average {render.LoadBefore} before, {render.LoadAfter} after");
        if (Raw is not null && Dispatch is not null && Reused is not null)
        {
            output.WriteLine($"raw (before the fleet started): {Raw.Messages} x 1 KB persistent, confirmed, 1 consumer; latency over {Raw.Latency.Count} one-at-a-time messages");
            output.WriteLine($"factory: 2 amd64 executors; dispatch over {Dispatch.Server.Count} expired one-item plans; " +
                $"reused: core_smoke_matrix x {Reused.Repeats} = {Reused.Items} items ({Reused.Reused} reused) in {Reused.Seconds:0.00} s");
        }
        output.WriteLine();
        output.WriteLine($"{"id",-28} {"measure",-42} {"unit",4} {"factory",10} {"baseline",10} {"factory/base",12}  against");
        foreach (var r in Rows)
            output.WriteLine($"{r.Id,-28} {r.Measure,-42} {r.Unit,4} {r.Factory,10:0.00} {r.Baseline,10:0.00} {r.Ratio,12:0.0000}  {r.Against}");
        if (Dispatch is null) return;
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
