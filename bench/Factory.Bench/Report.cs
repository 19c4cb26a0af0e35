using System.Runtime.InteropServices;
using System.Text.Json;

namespace Factory.Bench;

public sealed record Report(Machine Machine, BenchOptions Options, IReadOnlyList<Row> Rows, RawBrokerThroughput.Result? Raw, DispatchLatency.Result? Dispatch,
    DispatchThroughput.Result? Throughput, ReusedThroughput.Result? Reused, int LeftInFlight, JobOverhead.Result? Job, PlanRender100k.Result? PlanRender,
    SimulationAtScale.Result? Simulation, PrewarmFirstItem.Result? Prewarm = null, MatrixPage10k.Result? MatrixPage = null, PipelineAlone.Result? Pipeline = null,
    BusAlone.Result? Bus = null)
{
    public const string JobOverheadId = "job_overhead";
    private const string RawBroker = "raw RabbitMQ.Client";
    /// <summary>
    /// The fewest messages the whole loop carries per item: the work and its result, one each (starts and records travel
    /// in groups, a fraction of a message per item under load). A run of <c>dispatch_throughput</c> measures the real figure.
    /// </summary>
    private const double LoopMessagesPerItemAtLeast = 2;

    /// <summary>The rows measured on the bench's fleet against the raw broker.</summary>
    public static readonly IReadOnlyList<string> FleetRowIds =
        ["dispatch_latency_p50", "dispatch_latency_p99", "dispatch_latency_server_p50", "dispatch_latency_server_p99", "dispatch_throughput", "reused_throughput"];

    public static readonly IReadOnlyList<string> RowIds = [PlanRender100k.Id, MatrixPage10k.Id, PipelineAlone.Id, BusAlone.Id, .. FleetRowIds, JobOverheadId, PrewarmFirstItem.Id, .. SimulationAtScale.RowIds];

    public static Report Create(BenchOptions options, RawBrokerThroughput.Result? raw, DispatchLatency.Result? dispatch, DispatchThroughput.Result? throughput,
        ReusedThroughput.Result? reused, int leftInFlight, JobOverhead.Result? job, PlanRender100k.Result? render, SimulationAtScale.Result? simulation,
        PrewarmFirstItem.Result? prewarm = null, MatrixPage10k.Result? matrixPage = null, PipelineAlone.Result? pipeline = null,
        BusAlone.Result? bus = null)
    {
        Row Compare(string id, string measure, string unit, double factory, double baseline, string against) =>
            new(id, measure, unit, factory, baseline, factory / baseline, against);
        var rows = new List<Row>();
        if (render is not null)
            rows.Add(Compare(PlanRender100k.Id, "plan render --json, 100k items, median", "s", render.FactoryMedianSeconds, render.PythonMedianSeconds, "python3 plan_render.py"));
        if (matrixPage is not null)
            rows.Add(Compare(MatrixPage10k.Id, "matrix page, 10k records, server-side, median", "ms", matrixPage.PageMedianMs, matrixPage.JsonMedianMs, "the same records as JSON"));
        if (raw is not null && pipeline is not null)
            rows.Add(Compare(PipelineAlone.Id, "executor pipeline alone, no bus: items/s vs msg/s", "1/s", pipeline.ItemsPerSecond, raw.MessagesPerSecond, RawBroker));
        if (raw is not null && bus is not null)
            rows.Add(Compare(BusAlone.Id, "Factory's bus alone (MassTransit): msg/s vs msg/s", "1/s", bus.MessagesPerSecond, raw.MessagesPerSecond, RawBroker));
        if (raw is not null && reused is not null && dispatch is not null && throughput is not null)
            rows.AddRange(
            [
                Compare("dispatch_latency_p50", "dispatch latency p50 (from client POST)", "ms", dispatch.Client.P50Ms, raw.Latency.P50Ms, RawBroker),
                Compare("dispatch_latency_p99", "dispatch latency p99 (from client POST)", "ms", dispatch.Client.P99Ms, raw.Latency.P99Ms, RawBroker),
                Compare("dispatch_latency_server_p50", "dispatch latency p50 (server clocks)", "ms", dispatch.Server.P50Ms, raw.Latency.P50Ms, RawBroker),
                Compare("dispatch_latency_server_p99", "dispatch latency p99 (server clocks)", "ms", dispatch.Server.P99Ms, raw.Latency.P99Ms, RawBroker),
                Compare("dispatch_throughput", "whole loop: items/s vs messages/s", "1/s", throughput.ItemsPerSecond, raw.MessagesPerSecond, RawBroker),
                Compare("reused_throughput", "reused items/s (one 10k plan) vs messages/s", "1/s", reused.ItemsPerSecond, raw.MessagesPerSecond, RawBroker),
            ]);
        if (job is not null)
            rows.Add(Compare(JobOverheadId, "one job: factory run vs docker build+run by hand", "s", job.FactoryMedianSeconds, job.ByHandMedianSeconds, "docker build + run by hand"));
        if (prewarm is not null)
            rows.Add(Compare(PrewarmFirstItem.Id, "first llm_factory item, cold cache: after prewarm vs without", "s", prewarm.WarmMedianSeconds, prewarm.ColdMedianSeconds, "the same item without prewarm"));
        if (simulation is not null && raw is not null) rows.AddRange(SimulationRows(simulation, raw));
        rows = rows.Where(r => options.Measures(r.Id)).ToList();
        var machine = new Machine(Environment.ProcessorCount, DateTimeOffset.Now, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, raw is null ? null : "RabbitMQ " + raw.BrokerVersion);
        return new Report(machine, options, rows, raw, dispatch, throughput, reused, leftInFlight, job, render, simulation, prewarm, matrixPage, pipeline, bus);
    }

    /// <summary>The goal (100k items a day at under 10% of a core) and how far beyond it the control plane goes, each as a ratio.</summary>
    private static IEnumerable<Row> SimulationRows(SimulationAtScale.Result sim, RawBrokerThroughput.Result raw)
    {
        const string Goal = "the goal", OneCore = "one core";
        var top = sim.Highest;
        Row Compare(string id, string measure, string unit, double factory, double baseline, string against) => new(id, measure, unit, factory, baseline, factory / baseline, against);
        yield return Compare(SimulationAtScale.ColdCpuId, "control plane CPU, first 15 s after start (JIT), no items", "%", sim.Cold.ControlPlaneCpuPercent,
            SimulationAtScale.GoalCpuPercent, Goal);
        yield return Compare(SimulationAtScale.IdleCpuId, "control plane CPU, 1,000 executors beating, no items, warm", "%", sim.Idle.ControlPlaneCpuPercent,
            SimulationAtScale.GoalCpuPercent, Goal);
        yield return Compare(SimulationAtScale.GoalCpuId, "control plane CPU at 1.2 items/s (100k/day)", "%", sim.Goal.ControlPlaneCpuPercent,
            SimulationAtScale.GoalCpuPercent, Goal);
        yield return Compare(SimulationAtScale.GoalP50Id, "dispatch p50 at 1.2/s (POST → simulated start)", "ms", sim.Goal.Latency?.P50Ms ?? 0,
            raw.Latency.P50Ms, RawBroker);
        yield return Compare(SimulationAtScale.GoalP99Id, "dispatch p99 at 1.2/s (POST → simulated start)", "ms", sim.Goal.Latency?.P99Ms ?? 0,
            raw.Latency.P99Ms, RawBroker);
        yield return Compare(SimulationAtScale.MaxRateId, "highest rate sustained (p99 ≤ 2 s, no backlog)", "1/s", top?.TargetRate ?? 0,
            SimulationAtScale.GoalRate, Goal);
        yield return Compare(SimulationAtScale.ItemsPerSecondId, "items recorded/s at the highest rate sustained", "1/s", top?.RecordedPerSecond ?? 0,
            SimulationAtScale.GoalRate, Goal);
        yield return Compare(SimulationAtScale.MaxRateCpuId, "control plane CPU at the highest rate sustained", "%", top?.ControlPlaneCpuPercent ?? 0,
            100, OneCore);
        yield return Compare(SimulationAtScale.RssId, "control plane RSS, peak vs idle with 1,000 executors", "MB", sim.PeakRssMb,
            sim.Idle.ControlPlaneRssMb, "idle, same run");
    }

    private double LoopMessages => Throughput?.MessagesPerItem ?? LoopMessagesPerItemAtLeast;

    public void Print(TextWriter output)
    {
        output.WriteLine($"Factory bench — {Machine.Date:yyyy-MM-dd HH:mm zzz}, {Machine.Cores} cores, {Machine.Os}, {Machine.Runtime}{(Machine.Broker is null ? "" : ", " + Machine.Broker)}");
        if (PlanRender is { } render)
            output.WriteLine($"{PlanRender100k.Id}: {render.Items} items, {render.Runs} whole-process runs of each, alternating; " +
                $"factory {string.Join(" ", render.FactorySeconds.Select(s => s.ToString("0.00")))} s, python {string.Join(" ", render.PythonSeconds.Select(s => s.ToString("0.00")))} s; " +
                $"load average {render.LoadBefore} before, {render.LoadAfter} after");
        if (MatrixPage is { } matrix)
            output.WriteLine($"{MatrixPage10k.Id}: {matrix.Records} records in {matrix.Cells} cells ({matrix.Rows} rows), page {matrix.PageBytes / 1024} KB, " +
                $"JSON {matrix.JsonBytes / 1024} KB; {matrix.Runs} runs of each, alternating, in one process");
        if (Raw is not null)
            output.WriteLine($"raw (before the fleet started): {Raw.Messages} x 1 KB persistent, confirmed, 1 consumer; latency over {Raw.Latency.Count} one-at-a-time messages");
        if (Pipeline is not null)
            output.WriteLine($"pipeline alone: {Pipeline.Items} new items through the executor's pipeline (bench-only instant engine) in this process, " +
                $"{Pipeline.Items / Pipeline.Seconds:0} items/s, {Pipeline.CpuMsPerItem:0.00} ms of CPU per item; no bus, lease, record or control plane");
        if (Bus is not null)
            output.WriteLine($"bus alone: {Bus.Messages} messages of ~1 KB through MassTransit as Factory sets it up, published 100 at a time with confirms, " +
                $"1 consumer doing nothing; {Bus.CpuMsPerMessage:0.000} ms of CPU per message in this process (publish and consume), {Bus.BrokerCpuMsPerMessage:0.000} in the broker; " +
                $"at {LoopMessages:0.00} messages per item ({(Throughput?.MessagesPerItem is null ? "the least the loop carries" : "as dispatch_throughput measured")}) " +
                $"the loop could make {Bus.MessagesPerSecond / LoopMessages:0} items/s" +
                (Raw is null ? "" : $" ({Bus.MessagesPerSecond / LoopMessages / Raw.MessagesPerSecond:0.000} of the raw broker)"));
        if (Dispatch is not null && Throughput is not null && Reused is not null)
            output.WriteLine($"factory: 2 amd64 executors x 16 with the bench-only instant engine; dispatch over {Dispatch.Server.Count} one-item plans; " +
                $"whole loop: {Throughput.Items} new items in {Throughput.Seconds:0.0} s; reused: a {Reused.ItemsPerPlan}-item plan x {Reused.Repeats} " +
                $"({Reused.Reused} reused) in {Reused.Seconds:0.00} s, after its first run through the loop in {Reused.FirstRunSeconds:0.0} s; " +
                $"{LeftInFlight} builds left in flight at the end");
        if (Job is not null)
            output.WriteLine($"job: llm_factory linux/amd64 with a numerics version never built before, {Job.Rounds} rounds alternating, medians; " +
                "baseline: docker build of the same stitched Dockerfile + one docker run per test");
        output.WriteLine();
        output.WriteLine($"{"id",-28} {"measure",-50} {"unit",4} {"factory",10} {"baseline",10} {"ratio",8}  against");
        foreach (var r in Rows)
            output.WriteLine($"{r.Id,-28} {r.Measure,-50} {r.Unit,4} {r.Factory,10:0.00} {r.Baseline,10:0.00} {r.Ratio,8:0.0000}  {r.Against}");
        output.WriteLine();
        if (Dispatch is not null) PrintDispatchNotes(output, Dispatch);
        if (Simulation is not null) PrintSimulationNotes(output, Simulation);
        if (Job is not null) PrintJobNotes(output, Job);
        if (Prewarm is not null) PrintPrewarmNotes(output, Prewarm);
    }

    private static void PrintPrewarmNotes(TextWriter output, PrewarmFirstItem.Result prewarm)
    {
        foreach (var r in prewarm.Samples)
            output.WriteLine($"prewarm round {r.Number} ({r.RanFirst} first): without {r.ColdSeconds:0.00} s; with {r.WarmSeconds:0.00} s after a prewarm of " +
                $"{r.PrewarmSeconds:0.00} s ({r.CachedSteps}/{r.Steps} of the item's steps cached)");
        output.WriteLine($"prewarm: median {prewarm.PrewarmMedianSeconds:0.00} s for the whole store on amd64; first item {prewarm.WarmMedianSeconds:0.00} s " +
            $"after it, {prewarm.ColdMedianSeconds:0.00} s without");
    }

    private static void PrintDispatchNotes(TextWriter output, DispatchLatency.Result dispatch) =>
        output.WriteLine($"POST /api/plans response p50/p99: {dispatch.PostResponse.P50Ms:0.0}/{dispatch.PostResponse.P99Ms:0.0} ms");

    private static void PrintSimulationNotes(TextWriter output, SimulationAtScale.Result sim)
    {
        output.WriteLine($"simulation: {sim.Executors} SIMULATED executors ({SimulationAtScale.Processes} processes x {SimulationAtScale.ExecutorsPerProcess}, " +
            $"heartbeat {sim.Heartbeats}, builds {sim.Builds}) on one control plane + results consumer, up in {sim.StartSeconds:0} s; " +
            $"highest rate sustained: {(sim.Highest is { } top ? $"{top.TargetRate}/s" : "none")}");
        foreach (var s in new[] { sim.Cold, sim.Idle, sim.Goal }.Concat(sim.Steps))
            output.WriteLine($"  {s.Name,-6} {s.Items,5} items ({s.ItemsPerPlan}/plan) submitted {s.SubmittedRate,5:0.0}/s, recorded {s.RecordedPerSecond,5:0.0}/s, " +
                $"p50/p99 {s.Latency?.P50Ms ?? 0,5:0}/{s.Latency?.P99Ms ?? 0,5:0} ms; CPU % of a core: control plane {s.ControlPlaneCpuPercent:0.0} " +
                $"({s.ControlPlaneRssMb:0} MB), results {s.ResultsConsumerCpuPercent:0.0}, simulators {s.SimulatorsCpuPercent:0.0}; load {s.LoadAverage:0.0}; " +
                $"{s.DepthsLine()}; {s.Failure ?? "sustained"}");
    }

    private static void PrintJobNotes(TextWriter output, JobOverhead.Result job)
    {
        foreach (var r in job.Samples)
            output.WriteLine($"job round {r.Number} ({r.RanFirst} first): factory {r.FactorySeconds:0.00} s, of which the job {r.JobSeconds:0.00} s; " +
                $"by hand {r.ByHandSeconds:0.00} s (build {r.ByHandBuildSeconds:0.00} s, tests {r.ByHandTestSeconds:0.00} s)");
        output.WriteLine($"job stages, median ms: {string.Join(", ", job.StageMedianMs.Select(s => $"{s.Key} {s.Value:0}"))}; " +
            $"the job {job.JobMedianSeconds:0.00} s of the process's {job.FactoryMedianSeconds:0.00} s");
    }

    public async Task WriteJsonAsync(string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        Shell.Log($"wrote {path}");
    }
}
