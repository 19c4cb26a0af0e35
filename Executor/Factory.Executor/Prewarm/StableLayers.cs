using System.Security.Cryptography;
using System.Text;
using Factory.Contracts.Messages;

namespace Factory.Executor.Prewarm;

/// <summary>
/// Which layers are stable, and where their cache lives. A plan's stable layers on one platform are its base image and
/// the longest run of its template's slots, from the bottom, on which every item of the plan on that platform agrees
/// (same module version and content): the layers below the first slot the plan varies. The top slot is never one of
/// them: a plan that varies nothing is one image, and building it whole is building the item. BuildKit caches a layer
/// only on top of the very layers below it, so only a bottom run can be shared between items.
/// </summary>
public static class StableLayers
{
    /// <summary>
    /// The stable layers of each plan (its items, as the control plane makes them) as work items of their own: the first
    /// item's fields with only the stable slots and a key of their own (<see cref="KeyOf"/>). Distinct by key.
    /// </summary>
    public static IReadOnlyList<WorkItem> Of(IEnumerable<IReadOnlyList<WorkItem>> itemsByPlan)
    {
        var targets = new Dictionary<string, WorkItem>(StringComparer.Ordinal);
        foreach (var plan in itemsByPlan)
            foreach (var group in plan.GroupBy(i => (i.Platform, i.Accelerator, i.BaseDigest, i.TemplateId)))
            {
                var items = group.ToList();
                var first = items[0];
                var stable = 0;
                while (stable < first.Modules.Count - 1 && items.All(i => i.Modules.Count == first.Modules.Count && SameModule(i.Modules[stable], first.Modules[stable])))
                    stable++;
                if (stable == 0) continue;
                var key = KeyOf(first, stable);
                targets.TryAdd(key, first with
                {
                    IdempotencyKey = key, PlanId = "prewarm", Modules = first.Modules.Take(stable).ToList(), Tests = [], Deadline = null,
                });
            }
        return targets.Values.OrderBy(t => t.Pool, StringComparer.Ordinal).ThenBy(t => t.ManifestId, StringComparer.Ordinal)
            .ThenBy(t => t.Modules.Count).ThenBy(t => t.IdempotencyKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// sha256 over what the bottom <paramref name="layers"/> slots of the item are built from: the base digest, the
    /// platform, the accelerator and each slot's module with its content digest, one per line.
    /// </summary>
    public static string KeyOf(WorkItem item, int layers)
    {
        var text = new StringBuilder("factory stable layers v1\n");
        text.Append("base ").Append(item.BaseDigest).Append('\n');
        text.Append("platform ").Append(item.Platform).Append('\n');
        text.Append("accelerator ").Append(item.Accelerator ?? "").Append('\n');
        foreach (var module in item.Modules.Take(layers))
            text.Append("slot ").Append(module.Slot).Append(' ').Append(module.Name).Append(' ').Append(module.Version).Append(' ').Append(module.ContentDigest).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The registry cache ref of the item's bottom <paramref name="layers"/> slots, next to the template's own cache tag.</summary>
    public static string CacheTagFor(WorkItem item, int layers, string registry) =>
        $"{registry}/factory-cache/{item.TemplateId}:stable-{KeyOf(item, layers)[..32]}";

    /// <summary>Every stable-layers cache ref an item may find its bottom layers in (one per run of slots below its top slot).</summary>
    public static IReadOnlyList<string> CacheTagsFor(WorkItem item, string registry) =>
        [.. Enumerable.Range(1, Math.Max(0, item.Modules.Count - 1)).Reverse().Select(layers => CacheTagFor(item, layers, registry))];

    private static bool SameModule(ModuleSelection a, ModuleSelection b) =>
        a.Slot == b.Slot && a.Name == b.Name && a.Version == b.Version && a.ContentDigest == b.ContentDigest;
}
