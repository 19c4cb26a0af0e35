using System.CommandLine;
using Factory.Cli.Output;
using Factory.ControlPlane.Planning;

namespace Factory.Cli.Commands;

internal static class PlanCommands
{
    public static Command Create()
    {
        var plan = PlanSelection.PlanArgument();
        var manifest = PlanSelection.ManifestOption();
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var render = new Command("render", "Expand a plan into work items (keys, pools, base digests) without running anything") { plan, manifest, store, state, json };
        render.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var selection = PlanSelection.From(parse.GetValue(plan), parse.GetValue(manifest));
            var allPools = PoolCatalog.Default.Pools.Select(p => p.Name).ToList();
            var (_, work) = await PlanPreparation.PrepareWorkAsync(parse.GetValue(store)!, parse.GetValue(state)!, selection, allPools, ct);
            await using var stdout = Console.OpenStandardOutput();
            if (parse.GetValue(json)) RenderedPlan.WriteJson(stdout, work.Plan.Id, work.Items());
            else RenderedPlan.WriteText(stdout, work.Plan.Id, work.Plan.Manifest, work.Count, work.Items());
            return ExitCodes.Passed;
        }));
        return new Command("plan", "Work with plans") { render };
    }
}
