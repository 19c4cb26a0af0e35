// Factory against its baselines, in one run: planning against plain Python, the fleet against the raw broker it
// runs on, one real job against the same work by hand, the control plane under 1,000 simulated executors against the goal.
//   dotnet run --project bench/Factory.Bench -c Release [-- --samples 40 --messages 10000 --repeats 20 --rounds 3 --runs 5 --only ROW --out bench.json]
using Factory.Bench;

if (args is ["-h"] or ["--help"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
if (BenchOptions.Parse(args) is not { } options) return 2;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;
try
{
    // 1. Planning: whole `factory plan render --json` processes against a Python baseline, before anything else runs.
    var render = options.Measures(PlanRender100k.Id) ? await PlanRender100k.RunAsync(options.Runs, ct) : null;
    // 1b. Reviewing: the matrix page of 10,000 records against the same records as JSON, in this process.
    var matrixPage = options.Measures(MatrixPage10k.Id) ? MatrixPage10k.Run(options.Runs * 4) : null;

    // 2. Baseline: RabbitMQ.Client publish→consume in a virtual host of its own, before the fleet runs.
    var fleetRows = Report.FleetRowIds.Where(options.Measures).ToList();
    var simRows = SimulationAtScale.RowIds.Where(options.Measures).ToList();
    var raw = fleetRows.Count + simRows.Count > 0 || options.Measures(PipelineAlone.Id) || options.Measures(BusAlone.Id) ? await RawBrokerThroughput.RunAsync(options.Messages, options.Samples, ct) : null;

    // 2b. The executor's pipeline alone in this process, against the same raw broker: the ceiling of the whole loop.
    var pipelineAlone = options.Measures(PipelineAlone.Id) ? await PipelineAlone.RunAsync(ct) : null;
    // 2c. Factory's bus alone (MassTransit as the services set it up) on the same broker: the loop's ceiling from its messages.
    var busAlone = options.Measures(BusAlone.Id) ? await BusAlone.RunAsync(options.Messages, ct) : null;

    // 3. Factory: a fleet of its own (vhost, database, port, state, manifest copy) on the same broker, torn down at the end.
    //    Its executors use the bench-only instant engine: these rows measure Factory's loop, not BuildKit.
    DispatchLatency.Result? dispatch = null;
    DispatchThroughput.Result? throughput = null;
    ReusedThroughput.Result? reused = null;
    var leftInFlight = 0;
    if (fleetRows.Count > 0)
    {
        var settings = new Dictionary<string, string> { ["Executor__Engine"] = "bench-instant", ["FACTORY_EXECUTOR_CONCURRENCY"] = "16" };
        await using var fleet = await Fleet.StartAsync(pools: "amd64", executorsPerPool: 2, settings,
            manifests => BenchManifests.AddTo(manifests, DispatchLatency.VersionsNeeded(options.Samples)), ct);
        // Warm first: a service's first thousands of items run while its code is still being compiled.
        var firstRun = await ReusedThroughput.FirstRunAsync(fleet, ct);
        dispatch = await DispatchLatency.RunAsync(fleet, options.Samples, ct);
        throughput = await DispatchThroughput.RunAsync(fleet, ct);
        reused = await ReusedThroughput.RunAsync(fleet, options.Repeats, firstRun, ct);
        leftInFlight = await fleet.InFlightAsync(ct);
    }

    // 4. One real job, against the same work by hand.
    var job = options.Measures(Report.JobOverheadId) ? await JobOverhead.RunAsync(options.Rounds, ct) : null;

    // 5. The first real item on a cold cache, with and without `factory prewarm` before it.
    var prewarm = options.Measures(PrewarmFirstItem.Id) ? await PrewarmFirstItem.RunAsync(options.Rounds, ct) : null;

    // 6. SIMULATION: 1,000 simulated executors against one control plane, in a fleet of their own.
    var simulation = simRows.Count > 0 ? await SimulationAtScale.RunAsync(ct) : null;

    // 7. The comparison: a table on stdout, the same as JSON to --out.
    var report = Report.Create(options, raw, dispatch, throughput, reused, leftInFlight, job, render, simulation, prewarm, matrixPage, pipelineAlone, busAlone);
    report.Print(Console.Out);
    if (options.Out is { } path) await report.WriteJsonAsync(path);
    return 0;
}
catch (Exception ex)
{
    Shell.Log(ct.IsCancellationRequested ? "cancelled" : $"failed: {ex}");
    return 1;
}
