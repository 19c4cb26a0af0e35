using System.Security.Cryptography;
using System.Text;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Signing;

namespace Factory.UnitTests.Support;

/// <summary>Results as an executor publishes them, signed the way RecordSignatureStage signs (or not at all).</summary>
public static class SignedResults
{
    public static WorkItemCompleted Unsigned(string key = "key1", string status = RecordStatus.Passed, string? image = "127.0.0.1:5000/factory/app@sha256:aa") => new()
    {
        BuildId = Guid.NewGuid(),
        Item = WorkItems.Make(key),
        Status = status,
        Image = image,
        Built = true,
        Executor = new ExecutorIdentity("amd64", "forger"),
        Timings = new StageTimings { StartedAt = SampleRecords.T0, FinishedAt = SampleRecords.T0.AddMinutes(1) },
    };

    /// <summary>The result with its record signature by <paramref name="key"/>, and the evidence entry it points at.</summary>
    public static WorkItemCompleted Sign(WorkItemCompleted result, SigningKey key)
    {
        var payload = CompatibilityRecordFactory.SignedPayload(CompatibilityRecordFactory.From(result, default));
        var json = DsseEnvelope.Sign(DsseEnvelope.RecordPayloadType, payload, key).ToJsonBytes();
        var sha = Convert.ToHexStringLower(SHA256.HashData(json));
        var evidence = new EvidenceRef(EvidenceKind.RecordSignature, $"local:sha256/{sha}", sha, json.LongLength, "record.dsse.json");
        return result with
        {
            Evidence = [.. result.Evidence.Where(e => e.Kind != EvidenceKind.RecordSignature), evidence],
            RecordSignature = Encoding.UTF8.GetString(json),
        };
    }
}
