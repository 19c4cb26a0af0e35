using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Executor.Sbom;

namespace Factory.Executor.Stages;

/// <summary>The SBOM of one image: CycloneDX 1.6 JSON, its component count, and how long it took.</summary>
public sealed record SbomResult(byte[] Content, int ComponentCount, TimeSpan Duration);

/// <summary>
/// Reads the built image's package databases and os-release (a created, never started container) and generates
/// its CycloneDX SBOM. An engine failure is an InfrastructureException (retried); an image without os-release,
/// dpkg or apk still gets an SBOM listing its Factory modules.
/// </summary>
public sealed class SbomStage(IContainerEngine engine, TimeProvider clock)
{
    public const string EvidenceName = "sbom.cdx.json";

    public async Task<SbomResult> RunAsync(WorkItem item, string image, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("sbom");
        activity?.SetTag("factory.image", image);
        activity?.SetTag("factory.platform", item.Platform);
        var start = clock.GetTimestamp();
        var files = await engine.ReadFilesAsync(image, item.Platform, SbomGenerator.ImagePaths, ct);
        var sbom = SbomGenerator.Generate(item, image, files, clock.GetUtcNow(), Guid.NewGuid());
        var duration = clock.GetElapsedTime(start);
        ExecutorMetrics.SbomDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("factory.platform", item.Platform));
        activity?.SetTag("factory.sbom.components", sbom.ComponentCount);
        activity?.SetTag("factory.sbom.bytes", sbom.Content.Length);
        return new SbomResult(sbom.Content, sbom.ComponentCount, duration);
    }
}
