using System.CommandLine;
using Factory.Cli.Embedded;
using Factory.Cli.Output;
using Factory.Contracts.Manifests;
using Factory.ControlPlane;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Manifests;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Cli.Commands;

/// <summary>`factory run PLAN | --manifest ID`: the whole path on the embedded default, reusing what already passed.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var plan = PlanSelection.PlanArgument();
        var manifest = PlanSelection.ManifestOption();
        var pools = new Option<string?>("--pools") { Description = "Pools to serve, comma-separated (default: every pool this machine can serve)" };
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var command = new Command("run", "Render, build, test and record every combination of a plan (or of a manifest as it stands) on this machine") { plan, manifest, pools, store, state, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(() => RunAsync(
            PlanSelection.From(parse.GetValue(plan), parse.GetValue(manifest)), parse.GetValue(store)!, parse.GetValue(state)!, parse.GetValue(pools),
            parse.GetValue(json), ct)));
        return command;
    }

    private static async Task<int> RunAsync(PlanSelection selection, string storeDirectory, string stateDirectory, string? poolList, bool json, CancellationToken ct)
    {
        var executorOptions = new ExecutorOptions
        {
            ManifestStore = storeDirectory,
            StateDirectory = stateDirectory,
            Registry = CommonOptions.Registry,
        };
        using var engine = new DockerEngine(executorOptions);
        var requested = poolList?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        // The engine is asked while the store and the plan load: neither waits on the other, and bad input is refused
        // (exit 2) without waiting on an engine that may be restarting.
        using var asking = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var servable = Task.Run(async () =>
        {
            await engine.WaitUntilAvailableAsync(DockerEngine.RestartPatience, CommonOptions.Warn, asking.Token);
            return await PoolCapabilities.EnsureCanServeAsync(engine, requested, asking.Token);
        }, asking.Token);
        ManifestStore store;
        Plan plan;
        try
        {
            store = ManifestStoreLoader.Load(storeDirectory);
            plan = selection.Load(store);
        }
        catch
        {
            // Refused input: stop asking the engine, and let the question end before the engine is disposed under it.
            await asking.CancelAsync();
            await servable.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }
        executorOptions.Pools = (await servable).ToList();
        // One process: nothing in it can lose a result, so a build's lease never needs to lapse while the process lives.
        var controlPlane = new ControlPlaneOptions { ManifestStore = storeDirectory, Registry = CommonOptions.Registry };
        controlPlane.Dispatch.Leases.Run = TimeSpan.FromHours(6);
        // One executor, not a thousand: its heartbeats are written as they come. A batch open for a second would hold the
        // process's stop for the rest of that second.
        controlPlane.Dispatch.HeartbeatWindow = TimeSpan.FromMilliseconds(10);
        var progress = new ProgressWriter(json);
        await using var fleet = await EmbeddedFleet.StartAsync(executorOptions, controlPlane, bus =>
        {
            bus.AddSingleton(progress);
            bus.AddConsumer<PlanProgressConsumer>();
        }, ct);

        var accepted = await fleet.Intake.AcceptAsync(plan, store, ct);
        progress.Start(plan, accepted.Items, accepted.Items - accepted.Reused, executorOptions.Pools);
        var view = await fleet.WaitCompletedAsync(accepted.Id, ct);
        var report = RunReport.From(view);
        report.Print(json);
        return report.ExitCode;
    }
}
