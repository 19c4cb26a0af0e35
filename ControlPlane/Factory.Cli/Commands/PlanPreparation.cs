using Factory.Planning;
using Factory.Planning.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>Store → plan → work items, shared by `plan render` and `run`.</summary>
internal static class PlanPreparation
{
    public static Task<PreparedPlan> PrepareAsync(string storeDirectory, string stateDirectory, string planOrId, IReadOnlyCollection<string> servedPools, CancellationToken ct) =>
        PrepareAsync(storeDirectory, stateDirectory, PlanSelection.Of(planOrId), servedPools, ct);

    public static async Task<PreparedPlan> PrepareAsync(string storeDirectory, string stateDirectory, PlanSelection selection, IReadOnlyCollection<string> servedPools, CancellationToken ct)
    {
        var (store, work) = await PrepareWorkAsync(storeDirectory, stateDirectory, selection, servedPools, ct);
        return new PreparedPlan(store, work.Plan, work.ToList());
    }

    /// <summary>Everything checked and resolved; the work items are made as they are enumerated (see PreparedWork).</summary>
    public static async Task<(ManifestStore Store, PreparedWork Work)> PrepareWorkAsync(string storeDirectory, string stateDirectory, PlanSelection selection, IReadOnlyCollection<string> servedPools, CancellationToken ct)
    {
        // A process's first HttpClient takes tens of milliseconds to make: it is made while the store loads.
        var making = Task.Run(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            var store = ManifestStoreLoader.Load(storeDirectory);
            var plan = selection.Load(store);
            await ManifestChecks.EnsureModulesUnchangedAsync(store, stateDirectory, MatrixExpander.ModulesUsed(plan, store), ct);
            var preparer = new PlanPreparer(new RegistryClient(await making), PoolCatalog.Default, new RegistryOptions { Address = CommonOptions.Registry });
            return (store, await preparer.PrepareWorkAsync(plan, store, servedPools, DateTimeOffset.UtcNow, ct));
        }
        finally
        {
            (await making).Dispose();
        }
    }
}
