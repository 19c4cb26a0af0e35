using Factory.ControlPlane.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.ControlPlane.Planning;

/// <summary>
/// Turns a validated plan into work items: expands the matrix, resolves each base image to its digest for the
/// item's platform, assigns pools, computes keys and the test suite hash. Rejects a plan with items for a pool
/// that nothing serves, so nothing waits forever.
/// </summary>
public sealed class PlanPreparer(IBaseImageResolver resolver, PoolCatalog pools, RegistryOptions registry)
{
    public async Task<IReadOnlyList<WorkItem>> PrepareAsync(Plan plan, ManifestStore store, IReadOnlyCollection<string> servedPools, DateTimeOffset now, CancellationToken ct)
    {
        var entry = store.Entries[plan.Manifest];
        var template = store.Templates[entry.Template];
        var suite = store.TestSuites[template.Tests];
        var suiteHash = TestSuiteHash.Compute(suite);
        var manifestHash = ManifestHash.Compute(entry, template);
        var combinations = MatrixExpander.Expand(plan, store);
        var baseByPlatform = new Dictionary<string, ResolvedImage>();
        var items = new List<WorkItem>();
        var errors = new List<InputError>();

        foreach (var combination in combinations)
        {
            var pool = pools.For(combination.Platform, entry.Accelerator);
            if (pool is null || !servedPools.Contains(pool.Name))
            {
                var name = pool?.Name ?? $"{combination.Platform}{(entry.Accelerator is null ? "" : "+" + entry.Accelerator)}";
                var error = new InputError(plan.Source, plan.Platforms is null ? "manifest" : "platforms",
                    $"{combination.Platform}{(entry.Accelerator is null ? "" : " with " + entry.Accelerator)} needs pool {name}, which no executor serves (served: {(servedPools.Count == 0 ? "none" : string.Join(", ", servedPools))})");
                if (!errors.Contains(error)) errors.Add(error);
                continue;
            }
            if (!baseByPlatform.TryGetValue(combination.Platform, out var baseImage))
            {
                baseImage = await ResolveBaseAsync(template, combination.Platform, store, ct);
                baseByPlatform[combination.Platform] = baseImage;
            }
            var key = IdempotencyKey.Compute(template.Id, template.Version, baseImage.Digest, combination.Platform, entry.Accelerator, combination.Modules);
            items.Add(new WorkItem
            {
                IdempotencyKey = key,
                PlanId = plan.Id,
                ManifestId = entry.Id,
                TemplateId = template.Id,
                TemplateVersion = template.Version,
                BaseImage = baseImage.Reference,
                BaseDigest = baseImage.Digest,
                Platform = combination.Platform,
                Accelerator = entry.Accelerator,
                Pool = pool.Name,
                Modules = template.Layers.Select(slot =>
                {
                    var module = store.FindModule(slot, combination.Modules[slot])!;
                    return new ModuleSelection { Slot = slot, Name = module.Name, Version = module.Version, ContentDigest = module.ContentDigest, Owner = module.Owner };
                }).ToList(),
                TestSuiteId = suite.Id,
                TestSuiteHash = suiteHash,
                ManifestHash = manifestHash,
                Tests = suite.Tests.Where(t => t.Platforms is null || t.Platforms.Contains(combination.Platform)).ToList(),
                MaxImageMb = template.Limits.MaxImageMb,
                Priority = plan.Priority,
                Deadline = plan.DeadlineAt ?? (plan.Deadline is { } d ? now + d : null),
            });
        }
        if (errors.Count > 0) throw new InvalidInputException(errors);
        return items.DistinctBy(i => i.IdempotencyKey).ToList();
    }

    private async Task<ResolvedImage> ResolveBaseAsync(Template template, string platform, ManifestStore store, CancellationToken ct)
    {
        ImageReference.TryParse(template.Base, out var reference);
        reference = reference.WithRegistry(registry.Address);
        try
        {
            return await resolver.ResolveAsync(reference, platform, ct);
        }
        catch (ImageNotFoundException ex)
        {
            throw new InvalidInputException(DisplayPath.Of(store.TemplateFile(template.Id)), "base",
                $"{ex.Message}: expected a base image pushed to {registry.Address} for {platform} (deploy/local/up.sh builds the shipped ones)");
        }
    }
}
