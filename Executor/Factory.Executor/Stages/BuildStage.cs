using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// Builds the rendered context with BuildKit for the item's platform, with inline cache from the key's own tag,
/// from the last image of the same template and platform, and from its stable layers as `factory prewarm` pushed them,
/// and checks the size limit. The image stays local:
/// <see cref="PushStage"/> pushes it while the tests run.
/// </summary>
public sealed class BuildStage(IContainerEngine engine, ExecutorOptions options)
{
    /// <summary>Where every built image goes first: the quarantine, until its tests pass.</summary>
    public static string CandidateTagFor(WorkItem item, string registry) => $"{registry}/factory-candidates/{item.ManifestId}:{item.IdempotencyKey[..24]}";

    /// <summary>The passing name: only images whose tests passed are tagged here.</summary>
    public static string PassingTagFor(WorkItem item, string registry) => $"{registry}/factory/{item.ManifestId}:{item.IdempotencyKey[..24]}";

    public static string CacheTagFor(WorkItem item, string registry) =>
        $"{registry}/factory-cache/{item.TemplateId}:{item.Platform.Replace('/', '-')}{(item.Accelerator is null ? "" : "-" + item.Accelerator)}";

    public async Task<BuildResult> RunAsync(WorkItem item, RenderedBuild rendered, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("build");
        activity?.SetTag("factory.platform", item.Platform);
        var tag = CandidateTagFor(item, options.Registry);
        var cacheTag = CacheTagFor(item, options.Registry);
        var outcome = await engine.BuildAsync(rendered.BuildRequest(tag, item.Platform, [tag, cacheTag, .. Prewarm.StableLayers.CacheTagsFor(item, options.Registry)]), ct);
        Measure(item, outcome);
        if (!outcome.Succeeded)
            return Done(new BuildResult(false, null, tag, FailureReason.BuildFailed, outcome.Log, outcome.Duration, null));

        var size = await engine.ImageSizeAsync(outcome.ImageId!, ct);
        ExecutorMetrics.ImageSize.Record(size, ExecutorMetrics.Pool(item.Pool), ExecutorMetrics.Platform(item.Platform));
        if (await engine.ImageLayerCountAsync(outcome.ImageId!, ct) is { } layers)
            ExecutorMetrics.ImageLayers.Record(layers, ExecutorMetrics.Pool(item.Pool), ExecutorMetrics.Platform(item.Platform));
        if (item.MaxImageMb is { } limit && size > limit * 1024L * 1024L)
        {
            var log = outcome.Log + $"\nfactory: image is {size / (1024.0 * 1024.0):F1} MiB, over the template's limit of {limit} MiB (limits.max_image_mb)\n";
            return Done(new BuildResult(false, null, tag, FailureReason.SizeLimitExceeded, log, outcome.Duration, size));
        }
        activity?.SetTag("factory.image_id", outcome.ImageId);
        return Done(new BuildResult(true, outcome.ImageId, tag, null, outcome.Log, outcome.Duration, size));

        BuildResult Done(BuildResult result)
        {
            ExecutorMetrics.BuildDuration.Record(result.Duration.TotalSeconds, ExecutorMetrics.Pool(item.Pool), ExecutorMetrics.Platform(item.Platform),
                new("factory.outcome", result.Reason ?? "built"));
            return result;
        }
    }

    /// <summary>Cache hits and misses of the build's steps, from its log.</summary>
    private static void Measure(WorkItem item, ImageBuildOutcome outcome)
    {
        var (hits, misses) = BuildKitCacheSteps.Count(outcome.Log);
        if (hits > 0) ExecutorMetrics.BuildCacheSteps.Add(hits, ExecutorMetrics.Pool(item.Pool), new("factory.cache", "hit"));
        if (misses > 0) ExecutorMetrics.BuildCacheSteps.Add(misses, ExecutorMetrics.Pool(item.Pool), new("factory.cache", "miss"));
    }
}
