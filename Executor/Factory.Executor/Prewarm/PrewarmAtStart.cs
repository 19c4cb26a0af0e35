using System.Diagnostics;
using Factory.Contracts.Failures;
using Factory.Planning;
using Factory.Manifests;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Executor.Prewarm;

/// <summary>
/// Executor:Prewarm=true: the stable layers of every served pool are built into its cache when the executor starts,
/// before it takes work (hosted services start in order, and this one is added before the bus). A prewarm that fails
/// is logged and the executor serves anyway: a cold cache makes the first items slower, never wrong.
/// </summary>
public sealed class PrewarmAtStart(Prewarmer prewarmer, ExecutorOptions options, ILogger<PrewarmAtStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        foreach (var pool in options.Pools)
        {
            if (PoolCatalog.Default.Named(pool) is not { } definition) continue;
            try
            {
                var built = await prewarmer.RunAsync(definition, cancellationToken);
                foreach (var layers in built)
                    logger.LogInformation("prewarm {Pool}: {Manifest} {Platform} [{Layers}] {Outcome} in {Seconds:0.0} s ({Cached}/{Steps} steps cached) → {CacheTag}",
                        pool, layers.Manifest, layers.Platform, string.Join(", ", layers.Layers), layers.Succeeded ? "built" : "FAILED", layers.Seconds,
                        layers.CachedSteps, layers.Steps, layers.CacheTag);
                logger.LogInformation("prewarm {Pool}: {Count} runs of stable layers in {Seconds:0.0} s", pool, built.Count, watch.Elapsed.TotalSeconds);
            }
            catch (Exception ex) when (ex is InfrastructureException or InvalidInputException)
            {
                logger.LogWarning("prewarm {Pool}: failed after {Seconds:0.0} s, serving with the cache as it is: {Reason}", pool, watch.Elapsed.TotalSeconds, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
