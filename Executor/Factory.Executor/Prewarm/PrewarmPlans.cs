using Factory.Contracts.Messages;
using Factory.Planning;
using Factory.Manifests;

namespace Factory.Executor.Prewarm;

/// <summary>
/// The work items a pool may be sent, as the control plane makes them (the same PlanPreparer: base images resolved to
/// their digest in the registry, the same keys), one list per plan: every manifest of the store as it stands and every
/// plan in its plans/ folder, each narrowed to the pool's platform.
/// </summary>
public static class PrewarmPlans
{
    public static async Task<IReadOnlyList<IReadOnlyList<WorkItem>>> ForPoolAsync(ManifestStore store, PoolDefinition pool, PlanPreparer preparer, DateTimeOffset now, CancellationToken ct)
    {
        var plans = store.Entries.Keys.Order(StringComparer.Ordinal).Select(id => PlanReader.ForManifest(store, id, "store.yaml"))
            .Concat(PlanFiles(store.Root).Select(file => PlanReader.Load(file, store)));
        var itemsByPlan = new List<IReadOnlyList<WorkItem>>();
        foreach (var plan in plans)
        {
            var entry = store.Entries[plan.Manifest];
            // A plan whose product is not on the pool's platform (only an include may be) is left out.
            if (entry.Accelerator != pool.Accelerator || !(plan.Platforms ?? entry.Platforms).Contains(pool.Platform)) continue;
            var narrowed = plan with
            {
                Platforms = [pool.Platform],
                Include = [.. plan.Include.Where(c => OnPlatform(c, pool.Platform))],
                Exclude = [.. plan.Exclude.Where(c => OnPlatform(c, pool.Platform))],
            };
            itemsByPlan.Add(await preparer.PrepareAsync(narrowed, store, [pool.Name], now, ct));
        }
        return itemsByPlan;
    }

    private static IEnumerable<string> PlanFiles(string root)
    {
        var folder = Path.Combine(root, "plans");
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal) : [];
    }

    /// <summary>A partial combination that names no platform applies to every platform of the plan.</summary>
    private static bool OnPlatform(IReadOnlyDictionary<string, string> combination, string platform) =>
        combination.GetValueOrDefault(PlanReader.PlatformKey) is not { } named || named == platform;
}
