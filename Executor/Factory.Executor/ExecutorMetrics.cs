using System.Diagnostics.Metrics;

namespace Factory.Executor;

/// <summary>
/// One Meter for the executor, named like its ActivitySource (<see cref="ExecutorTelemetry"/>). Durations are in
/// seconds and sizes in bytes, so the Prometheus names carry their unit: factory_build_duration_seconds,
/// factory_build_cache_steps_total, factory_test_duration_seconds, factory_executor_results_total,
/// factory_executor_retries_total, factory_executor_slots, factory_image_size_bytes, factory_image_layers,
/// factory_sbom_duration_seconds.
/// </summary>
public static class ExecutorMetrics
{
    public const string MeterName = "Factory.Executor";
    public static readonly Meter Meter = new(MeterName);

    private static readonly double[] SecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800];

    /// <summary>A build's time in BuildKit; tagged with factory.pool, factory.platform and factory.outcome (built, build_failed, size_limit_exceeded).</summary>
    public static readonly Histogram<double> BuildDuration = Meter.CreateHistogram<double>("factory.build.duration", unit: "s",
        description: "Time BuildKit took to build an item's image.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Dockerfile steps of builds by whether they came from the cache; tagged with factory.pool and factory.cache (hit, miss).</summary>
    public static readonly Counter<long> BuildCacheSteps = Meter.CreateCounter<long>("factory.build.cache_steps",
        description: "Dockerfile steps built (miss) or taken from the cache (hit), from BuildKit's CACHED lines.");

    /// <summary>An item's suite, all its tests; tagged with factory.pool.</summary>
    public static readonly Histogram<double> TestDuration = Meter.CreateHistogram<double>("factory.test.duration", unit: "s",
        description: "Time an item's tests took, one after another.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Results published; tagged with factory.pool and factory.status (passed, failed, expired): the success rate's parts.</summary>
    public static readonly Counter<long> Results = Meter.CreateCounter<long>("factory.executor.results", description: "Work item results published, by status.");

    /// <summary>Deliveries that are a retry (the bus's retry, or a redelivery); tagged with factory.pool.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("factory.executor.retries", description: "Work item deliveries that were retries or redeliveries.");

    /// <summary>Size of a built image; tagged with factory.pool and factory.platform.</summary>
    public static readonly Histogram<long> ImageSize = Meter.CreateHistogram<long>("factory.image.size", unit: "By", description: "Size of a built image.", tags: null,
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1L << 20, 10L << 20, 50L << 20, 100L << 20, 250L << 20, 500L << 20, 1L << 30, 2L << 30, 4L << 30, 8L << 30] });

    /// <summary>Layers of a built image; tagged with factory.pool and factory.platform.</summary>
    public static readonly Histogram<long> ImageLayers = Meter.CreateHistogram<long>("factory.image.layers", unit: "{layer}", description: "Layers of a built image.", tags: null,
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 127] });

    /// <summary>Time to read an image's package databases and generate its SBOM; tagged with factory.pool and factory.platform.</summary>
    public static readonly Histogram<double> SbomDuration = Meter.CreateHistogram<double>("factory.sbom.duration", unit: "s",
        description: "Time to read a built image's files and generate its CycloneDX SBOM.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static KeyValuePair<string, object?> Pool(string pool) => new("factory.pool", pool);
    public static KeyValuePair<string, object?> Platform(string platform) => new("factory.platform", platform);
}
