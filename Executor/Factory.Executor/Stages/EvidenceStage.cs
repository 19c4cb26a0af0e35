using Factory.Contracts.Records;
using Factory.Evidence;

namespace Factory.Executor.Stages;

/// <summary>Stores a work item's evidence, all of it at once (the puts are independent); the references keep the items' order.</summary>
public sealed class EvidenceStage(IEvidenceStore evidence)
{
    public async Task<IReadOnlyList<EvidenceRef>> PutAsync(IReadOnlyList<EvidenceItem> items, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("evidence");
        activity?.SetTag("factory.evidence.count", items.Count);
        return await Task.WhenAll(items.Select(i => i.File is { } file
            ? evidence.PutFileAsync(i.Kind, i.Name, file, ct)
            : evidence.PutAsync(i.Kind, i.Name, i.Content, ct)));
    }
}
