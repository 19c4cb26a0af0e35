using System.CommandLine;
using System.Text.Json;
using Factory.ControlPlane.Planning;
using Factory.Contracts;

namespace Factory.Cli.Commands;

internal static class PlanCommands
{
    public static Command Create()
    {
        var plan = new Argument<string>("PLAN") { Description = "A plan file path or a plan id from <manifest-store>/plans/" };
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var render = new Command("render", "Expand a plan into work items (keys, pools, base digests) without running anything") { plan, store, state, json };
        render.SetAction((parse, ct) => CommonOptions.Guard(async () =>
        {
            var allPools = PoolCatalog.Default.Pools.Select(p => p.Name).ToList();
            var prepared = await PlanPreparation.PrepareAsync(parse.GetValue(store)!, parse.GetValue(state)!, parse.GetValue(plan)!, allPools, ct);
            var items = prepared.Items.Select(i => new RenderedItem(i.IdempotencyKey, i.ManifestId, i.Platform, i.Pool,
                i.Modules.ToDictionary(m => m.Slot, m => m.Version), i.BaseDigest, i.TestSuiteHash)).ToList();
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { plan_id = prepared.Plan.Id, items }, FactoryJson.Options));
            else
            {
                Console.WriteLine($"plan {prepared.Plan.Id}: {items.Count} combinations of manifest {prepared.Plan.Manifest}");
                foreach (var i in items)
                    Console.WriteLine($"  {i.IdempotencyKey[..12]}  {i.Platform,-12} pool {i.Pool,-6} {string.Join(" ", i.Modules.Select(m => $"{m.Key}={m.Value}"))}");
            }
            return ExitCodes.Passed;
        }));
        return new Command("plan", "Work with plans") { render };
    }

    private sealed record RenderedItem(string IdempotencyKey, string ManifestId, string Platform, string Pool,
        IReadOnlyDictionary<string, string> Modules, string BaseDigest, string TestSuiteHash);
}
