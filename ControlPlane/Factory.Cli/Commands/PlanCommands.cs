using System.CommandLine;
using Factory.Cli.Output;
using Factory.Planning;
using Factory.Manifests;

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
        var runId = new Argument<string>("ID") { Description = "The plan run id submit printed" };
        var url = SubmitCommand.ControlPlaneOption();
        var token = ControlPlaneToken.FileOption();
        var cancel = new Command("cancel", "Cancel a submitted plan: its open items are cancelled; builds already in flight finish and are recorded") { runId, url, token, json };
        cancel.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            using var client = ControlPlaneClient.Connect(parse.GetValue(url)!, parse.GetValue(token));
            if (!Guid.TryParse(parse.GetValue(runId), out var id))
                throw new InvalidInputException("ID", "", $"expected a plan run id (a uuid, as submit prints it), found {Names.Quote(parse.GetValue(runId)!)}");
            var (found, answer) = await client.SendOrProblemAsync(HttpMethod.Post, $"api/plans/{id}/cancel", ct);
            if (!found) throw new InvalidInputException("ID", "", $"no plan run {id} at {parse.GetValue(url)}");
            if (parse.GetValue(json)) Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(answer, Factory.Contracts.FactoryJson.Options));
            else Console.WriteLine($"cancelled plan {id}: {answer.GetProperty("cancelled").GetInt32()} open items cancelled");
            return ExitCodes.Passed;
        }));
        return new Command("plan", "Work with plans") { render, cancel };
    }
}
