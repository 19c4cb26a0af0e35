using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Executor.Sbom;

namespace Factory.Executor.Stages;

/// <summary>
/// Reads an image's package databases and os-release and generates its CycloneDX SBOM. The files come from the test
/// container when there is one (read before any test ran), so the image is not opened a second time; otherwise from
/// a created, never started container. An engine failure is an InfrastructureException (retried); an image without
/// os-release, dpkg or apk still gets an SBOM listing its Factory modules.
/// </summary>
public sealed class SbomStage(IContainerEngine engine, TimeProvider clock)
{
    public const string EvidenceName = "sbom.cdx.json";

    /// <summary>Reads the image's files and generates its SBOM.</summary>
    public async Task<SbomResult> RunAsync(WorkItem item, string image, CancellationToken ct) =>
        Generate(item, image, await ReadAsync(item, image, container: null, ct));

    /// <summary>Reads the files an SBOM needs from the container when given (it must hold the image, untouched), else from the image.</summary>
    public async Task<SbomFiles> ReadAsync(WorkItem item, string image, string? container, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("sbom_read");
        activity?.SetTag("factory.platform", item.Platform);
        var start = clock.GetTimestamp();
        var files = container is null
            ? await engine.ReadFilesAsync(image, item.Platform, SbomGenerator.ImagePaths, ct)
            : await engine.ReadContainerFilesAsync(container, SbomGenerator.ImagePaths, ct);
        return new SbomFiles(files, clock.GetElapsedTime(start));
    }

    /// <summary>The SBOM of the image (as pushed: repository@digest) from the files read; Duration counts the reading too.</summary>
    public SbomResult Generate(WorkItem item, string image, SbomFiles files)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("sbom");
        activity?.SetTag("factory.image", image);
        activity?.SetTag("factory.platform", item.Platform);
        var start = clock.GetTimestamp();
        var sbom = SbomGenerator.Generate(item, image, files.Files, clock.GetUtcNow(), Guid.NewGuid());
        var duration = files.Duration + clock.GetElapsedTime(start);
        ExecutorMetrics.SbomDuration.Record(duration.TotalSeconds, ExecutorMetrics.Pool(item.Pool), ExecutorMetrics.Platform(item.Platform));
        activity?.SetTag("factory.sbom.components", sbom.ComponentCount);
        activity?.SetTag("factory.sbom.bytes", sbom.Content.Length);
        return new SbomResult(sbom.Content, sbom.ComponentCount, duration);
    }
}
