using Factory.Planning.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Planning;

/// <summary>
/// Turns a validated plan into work items: expands the matrix, resolves each base image to its digest for the
/// item's platform, assigns pools, computes keys and the test suite hash. Rejects a plan with items for a pool
/// that nothing serves, so nothing waits forever.
/// </summary>
public sealed class PlanPreparer(IBaseImageResolver resolver, PoolCatalog pools, RegistryOptions registry)
{
    public async Task<IReadOnlyList<WorkItem>> PrepareAsync(Plan plan, ManifestStore store, IReadOnlyCollection<string> servedPools, DateTimeOffset now, CancellationToken ct)
    {
        var work = await PrepareWorkAsync(plan, store, servedPools, now, ct);
        return work.ToList();
    }

    /// <summary>Every check that can fail, done before any work item is made (see <see cref="PreparedWork"/>).</summary>
    public async Task<PreparedWork> PrepareWorkAsync(Plan plan, ManifestStore store, IReadOnlyCollection<string> servedPools, DateTimeOffset now, CancellationToken ct)
    {
        var entry = store.Entries[plan.Manifest];
        var template = store.Templates[entry.Template];
        var suite = store.TestSuites[template.Tests];
        // The registry is asked, on the thread pool, for every platform the plan may use while the plan is measured
        // and hashed here (a process's first HTTP request takes a tenth of a second); only the answers for the
        // platforms it does use are awaited.
        var bases = (plan.Platforms ?? entry.Platforms)
            .Concat(plan.Include.Select(include => include.GetValueOrDefault(PlanReader.PlatformKey)).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(platform => platform, platform => Task.Run(() => ResolveBaseAsync(template, platform, store, ct), ct), StringComparer.Ordinal);
        try
        {
            var (count, platformsUsed) = MatrixExpander.Measure(plan, store);

            var errors = new List<InputError>();
            foreach (var platform in platformsUsed)
            {
                var pool = pools.For(platform, entry.Accelerator);
                if (pool is not null && servedPools.Contains(pool.Name)) continue;
                var name = pool?.Name ?? $"{platform}{(entry.Accelerator is null ? "" : "+" + entry.Accelerator)}";
                errors.Add(new InputError(plan.Source, plan.Platforms is null ? "manifest" : "platforms",
                    $"{platform}{(entry.Accelerator is null ? "" : " with " + entry.Accelerator)} needs pool {name}, which no executor serves (served: {(servedPools.Count == 0 ? "none" : string.Join(", ", servedPools))})"));
            }
            if (errors.Count > 0) throw new InvalidInputException(errors);

            var (suiteHash, manifestHash) = (TestSuiteHash.Compute(suite), ManifestHash.Compute(entry, template));
            var byPlatform = new Dictionary<string, (PoolDefinition, ResolvedImage, IReadOnlyList<TestCase>, IdempotencyKeyHasher)>(StringComparer.Ordinal);
            foreach (var platform in platformsUsed)
            {
                var baseImage = await bases[platform];
                var tests = suite.Tests.Where(t => t.Platforms is null || t.Platforms.Contains(platform)).ToList();
                var keys = new IdempotencyKeyHasher(template.Id, template.Version, baseImage.Digest, platform, entry.Accelerator, template.Layers);
                byPlatform[platform] = (pools.For(platform, entry.Accelerator)!, baseImage, tests, keys);
            }
            return new PreparedWork(plan, store, count, suiteHash, manifestHash, now, byPlatform);
        }
        finally
        {
            // An answer nobody awaited (a platform the plan does not use, or after another error) must not fail unobserved.
            foreach (var answer in bases.Values)
                _ = answer.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
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
