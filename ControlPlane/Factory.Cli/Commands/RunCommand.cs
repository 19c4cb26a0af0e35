using System.CommandLine;
using Factory.Cli.Embedded;
using Factory.Cli.Output;
using Factory.ControlPlane.Planning;
using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Records;

namespace Factory.Cli.Commands;

/// <summary>`factory run PLAN`: the whole path on the embedded default, reusing what already passed.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var plan = new Argument<string>("PLAN") { Description = "A plan file path or a plan id from <manifest-store>/plans/" };
        var pools = new Option<string?>("--pools") { Description = "Pools to serve, comma-separated (default: every pool this machine can serve)" };
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var command = new Command("run", "Render, build, test and record every combination of a plan on this machine") { plan, pools, store, state, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(() => RunAsync(
            parse.GetValue(plan)!, parse.GetValue(store)!, parse.GetValue(state)!, parse.GetValue(pools), parse.GetValue(json), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string planOrId, string storeDirectory, string stateDirectory, string? poolList, bool json, CancellationToken ct)
    {
        var progress = new ProgressWriter(json);
        var executorOptions = new ExecutorOptions
        {
            ManifestStore = storeDirectory,
            StateDirectory = stateDirectory,
            Registry = CommonOptions.Registry,
        };
        var engine = new DockerCliEngine(executorOptions);
        await engine.EnsureAvailableAsync(ct);
        var requested = poolList?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        executorOptions.Pools = (await PoolCapabilities.EnsureCanServeAsync(engine, requested, ct)).ToList();

        var prepared = await PlanPreparation.PrepareAsync(storeDirectory, stateDirectory, planOrId, executorOptions.Pools, ct);
        var records = new SqliteCompatibilityRecordStore(stateDirectory);
        var decisions = new List<(WorkItem Item, ReuseDecision Decision, Guid? BuildId)>();
        foreach (var item in prepared.Items)
        {
            var decision = ReusePolicy.Decide(item, await records.FindByKeyAsync(item.IdempotencyKey, ct));
            decisions.Add((item, decision, decision.Kind == ReuseDecisionKind.Reuse ? null : Guid.NewGuid()));
        }
        var commands = decisions.Where(d => d.BuildId is not null)
            .Select(d => new ExecuteWorkItem { BuildId = d.BuildId!.Value, Item = d.Item, ReuseImage = d.Decision.Image })
            .ToList();
        progress.Start(prepared.Plan, decisions.Count, commands.Count, executorOptions.Pools);

        if (commands.Count > 0)
        {
            await using var fleet = await EmbeddedFleet.StartAsync(executorOptions, records, ct);
            fleet.Tracker.Recorded += progress.OnRecorded;
            await fleet.DispatchAsync(commands, ct);
            try
            {
                await fleet.Tracker.WaitAllAsync(ct);
            }
            catch (BuildFaultedException ex)
            {
                throw new InfrastructureException("executor", $"build {ex.BuildId} could not complete after its retries: {ex.Message}");
            }
        }

        var outcomes = new List<RunItemOutcome>();
        foreach (var (item, decision, buildId) in decisions)
        {
            var record = buildId is { } id ? await records.GetAsync(id, ct) : decision.Record;
            outcomes.Add(new RunItemOutcome(item, record!, Reused: buildId is null, Built: decision.Kind == ReuseDecisionKind.Build));
        }
        var report = RunReport.From(prepared.Plan, outcomes);
        report.Print(json);
        return report.ExitCode;
    }
}
