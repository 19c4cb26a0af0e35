using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Executor.Registry;

namespace Factory.Executor.Stages;

/// <summary>
/// Images are built and pushed into the candidates (quarantine) repository; only one that passed its tests is
/// tagged under its passing name, factory/&lt;manifest&gt;, by the registry itself: the digest does not change and
/// nothing is uploaded again. A failing image is never reachable there.
/// </summary>
public sealed class PromoteStage(IRegistryTagger registry, IContainerEngine engine, ExecutorOptions options)
{
    public async Task<string> RunAsync(WorkItem item, string candidateImage, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("promote");
        var passing = BuildStage.PassingTagFor(item, options.Registry);
        if (RegistryRepository.IsIn(candidateImage, options.Registry))
            return await registry.TagAsync(candidateImage, passing, options.Registry, ct);
        // An image kept in another registry (the executor's registry changed since it was built) goes through the engine.
        await engine.EnsureImageAsync(candidateImage, item.Platform, ct);
        await engine.TagAsync(candidateImage, passing, ct);
        return $"{passing[..passing.LastIndexOf(':')]}@{await engine.PushAsync(passing, ct)}";
    }
}
