using Factory.Contracts.Messages;
using Factory.Executor.Provenance;
using Factory.Signing;

namespace Factory.Executor.Stages;

/// <summary>Signs SLSA provenance for the image as a DSSE envelope, to be kept as evidence.</summary>
public sealed class ProvenanceStage(SigningKey key, ExecutorOptions options)
{
    public const string EvidenceName = "provenance.dsse.json";

    public byte[] Sign(WorkItem item, Guid buildId, string image, bool built, DateTimeOffset started, DateTimeOffset finished)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("provenance");
        var statement = SlsaProvenance.Statement(item, buildId, image, built, item.Pool, options.Host, started, finished);
        return DsseEnvelope.Sign(DsseEnvelope.InTotoPayloadType, statement, key).ToJsonBytes();
    }
}
