using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Executor.Provenance;
using Factory.Signing;

namespace Factory.Executor.Stages;

/// <summary>Signs SLSA provenance for the image as a DSSE envelope and keeps it as evidence.</summary>
public sealed class ProvenanceStage(SigningKey key, IEvidenceStore evidence, ExecutorOptions options)
{
    public async Task<EvidenceRef> RunAsync(WorkItem item, Guid buildId, string image, bool built, DateTimeOffset started, DateTimeOffset finished, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("provenance");
        var statement = SlsaProvenance.Statement(item, buildId, image, built, item.Pool, options.Host, started, finished);
        var envelope = DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, key);
        return await evidence.PutAsync(EvidenceKind.Provenance, "provenance.dsse.json", envelope.ToJsonBytes(), ct);
    }
}

/// <summary>Signs the record that will be made from this result (DSSE) and keeps the envelope as evidence.</summary>
public sealed class RecordSignatureStage(SigningKey key, IEvidenceStore evidence)
{
    public async Task<WorkItemCompleted> RunAsync(WorkItemCompleted result, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("sign");
        var payload = CompatibilityRecordFactory.SignedPayload(CompatibilityRecordFactory.From(result, default));
        var envelope = DsseEnvelope.Sign(DsseEnvelope.RecordPayloadType, payload, key);
        var signature = await evidence.PutAsync(EvidenceKind.RecordSignature, "record.dsse.json", envelope.ToJsonBytes(), ct);
        return result with { Evidence = [.. result.Evidence, signature] };
    }
}
