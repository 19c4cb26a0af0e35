using System.Diagnostics;
using Factory.Planning;
using Factory.Planning.Registry;
using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Executor.Stages;
using Factory.Manifests;

namespace Factory.Executor.Prewarm;

/// <summary>
/// Builds the stable layers of the manifest store (<see cref="StableLayers"/>) into a pool's cache, as an item's build
/// would: the base image pulled by digest, the context rendered by <see cref="RenderStage"/>, built by the same engine
/// with the same BuildKit settings (inline cache, --cache-from the template's cache tag) and pushed to the stable
/// layers' own cache ref, which every item's build also names in --cache-from (<see cref="BuildStage"/>). So the engine's
/// local cache and the registry's both hold the layers, for this executor and for any other of the pool.
/// </summary>
public sealed class Prewarmer(IContainerEngine engine, RenderStage render, ExecutorOptions options)
{
    /// <summary>Every stable run of layers the pool may be sent, built one after another (the engine builds them in parallel anyway).</summary>
    public async Task<IReadOnlyList<PrewarmedLayers>> RunAsync(PoolDefinition pool, CancellationToken ct)
    {
        var targets = await TargetsAsync(pool, ct);
        var results = new List<PrewarmedLayers>();
        foreach (var target in targets) results.Add(await BuildAsync(target, ct));
        return results;
    }

    public async Task<IReadOnlyList<WorkItem>> TargetsAsync(PoolDefinition pool, CancellationToken ct)
    {
        var store = ManifestStoreLoader.Load(options.ManifestStore);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var preparer = new PlanPreparer(new RegistryClient(http), PoolCatalog.Default, new RegistryOptions { Address = options.Registry });
        return StableLayers.Of(await PrewarmPlans.ForPoolAsync(store, pool, preparer, DateTimeOffset.UtcNow, ct));
    }

    public async Task<PrewarmedLayers> BuildAsync(WorkItem target, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("prewarm");
        activity?.SetTag("factory.platform", target.Platform);
        var watch = Stopwatch.StartNew();
        var cacheTag = StableLayers.CacheTagFor(target, target.Modules.Count, options.Registry);
        await engine.EnsureImageAsync(target.BaseImage, target.Platform, ct);
        var delivery = Delivery.New(Guid.NewGuid(), 1);
        try
        {
            var rendered = render.Render(target, delivery);
            var outcome = await engine.BuildAsync(rendered.BuildRequest(cacheTag, target.Platform, [cacheTag, BuildStage.CacheTagFor(target, options.Registry)]), ct);
            if (outcome.Succeeded) await engine.PushAsync(cacheTag, ct);
            var (steps, cached, _) = BuildKitCacheSteps.Tally(outcome.Log);
            return new PrewarmedLayers(target.Pool, target.Platform, target.ManifestId, target.TemplateId, target.BaseImage,
                [.. target.Modules.Select(m => $"{m.Slot}={m.Name}@{m.Version}")], cacheTag, outcome.Succeeded, steps, cached, watch.Elapsed.TotalSeconds,
                outcome.Succeeded ? null : DockerEngine.Tail(outcome.Log, options.LogTailLines));
        }
        finally
        {
            render.Clean(delivery);
        }
    }
}
