using System.Diagnostics.Metrics;

namespace Factory.Executor;

/// <summary>One Meter for the executor, named like its ActivitySource (<see cref="ExecutorTelemetry"/>).</summary>
public static class ExecutorMetrics
{
    public const string MeterName = "Factory.Executor";
    public static readonly Meter Meter = new(MeterName);

    /// <summary>Time to read an image's package databases and generate its SBOM, in milliseconds; tagged with factory.platform.</summary>
    public static readonly Histogram<double> SbomDuration =
        Meter.CreateHistogram<double>("factory.sbom.duration", unit: "ms", description: "Time to read a built image's files and generate its CycloneDX SBOM.");
}
