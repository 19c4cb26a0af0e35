using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Signing;

namespace Factory.Executor.Stages;

/// <summary>
/// Signs the record that will be made from this result (DSSE) and keeps the envelope as evidence. It comes last:
/// what the results consumer adds when storing (recorded_at, the record stage's time) is left out of what is signed.
/// </summary>
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
