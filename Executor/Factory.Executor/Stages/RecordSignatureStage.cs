using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Signing;

namespace Factory.Executor.Stages;

/// <summary>
/// Signs the record that will be made from this result (DSSE) and keeps the envelope as evidence. It comes last:
/// what the results consumer adds when storing (recorded_at, the record stage's time) is left out of what is signed.
/// The envelope also travels in the result, for the results consumer to check against its keyring. A result signed
/// before is signed again (its earlier signature dropped): the simulator re-labels the executor after the pipeline.
/// </summary>
public sealed class RecordSignatureStage(SigningKey key, IEvidenceStore evidence)
{
    public async Task<WorkItemCompleted> RunAsync(WorkItemCompleted result, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("sign");
        var payload = CompatibilityRecordFactory.SignedPayload(CompatibilityRecordFactory.From(result, default));
        var envelope = DsseEnvelope.Sign(DsseEnvelope.RecordPayloadType, payload, key);
        var json = envelope.ToJsonBytes();
        var signature = await evidence.PutAsync(EvidenceKind.RecordSignature, "record.dsse.json", json, ct);
        return result with { Evidence = [.. result.Evidence.Where(e => e.Kind != EvidenceKind.RecordSignature), signature], RecordSignature = System.Text.Encoding.UTF8.GetString(json) };
    }
}
