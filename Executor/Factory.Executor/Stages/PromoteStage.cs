using Factory.Contracts.Messages;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// Images are built and pushed into the candidates (quarantine) repository; only one that passed its tests is
/// pushed under its passing name, factory/&lt;manifest&gt;. A failing image is never reachable there.
/// </summary>
public sealed class PromoteStage(IContainerEngine engine, ExecutorOptions options)
{
    public async Task<string> RunAsync(WorkItem item, string candidateImage, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("promote");
        var passing = BuildStage.PassingTagFor(item, options.Registry);
        await engine.EnsureImageAsync(candidateImage, item.Platform, ct);
        await engine.TagAsync(candidateImage, passing, ct);
        var digest = await engine.PushAsync(passing, ct);
        return $"{passing[..passing.LastIndexOf(':')]}@{digest}";
    }
}
