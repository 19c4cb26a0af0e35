using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Executor.Registry;

namespace Factory.Executor.Stages;

/// <summary>
/// Pushes a built image to the candidates repository (the quarantine) and points the template's cache tag at it, in
/// the registry, without a second upload. Returns the candidate as repository@digest.
/// </summary>
public sealed class PushStage(IContainerEngine engine, IRegistryTagger registry, ExecutorOptions options)
{
    public async Task<string> RunAsync(WorkItem item, string candidateTag, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("push");
        var candidate = $"{candidateTag[..candidateTag.LastIndexOf(':')]}@{await engine.PushAsync(candidateTag, ct)}";
        await registry.TagAsync(candidate, BuildStage.CacheTagFor(item, options.Registry), options.Registry, ct);
        activity?.SetTag("factory.image", candidate);
        return candidate;
    }
}
