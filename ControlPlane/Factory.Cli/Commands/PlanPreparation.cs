using Factory.ControlPlane.Planning;
using Factory.ControlPlane.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Cli.Commands;

internal sealed record PreparedPlan(ManifestStore Store, Plan Plan, IReadOnlyList<WorkItem> Items);

/// <summary>Store → plan → work items, shared by `plan render` and `run`.</summary>
internal static class PlanPreparation
{
    public static async Task<PreparedPlan> PrepareAsync(string storeDirectory, string stateDirectory, string planOrId, IReadOnlyCollection<string> servedPools, CancellationToken ct)
    {
        var store = ManifestStoreLoader.Load(storeDirectory);
        await ManifestChecks.EnsureModulesUnchangedAsync(store, stateDirectory, ct);
        var plan = PlanReader.Load(planOrId, store);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var registry = new RegistryOptions { Address = CommonOptions.Registry };
        var preparer = new PlanPreparer(new RegistryClient(http), PoolCatalog.Default, registry);
        var items = await preparer.PrepareAsync(plan, store, servedPools, DateTimeOffset.UtcNow, ct);
        return new PreparedPlan(store, plan, items);
    }
}
