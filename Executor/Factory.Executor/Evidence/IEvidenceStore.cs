using Factory.Contracts.Records;

namespace Factory.Executor.Evidence;

/// <summary>Immutable, content-addressed evidence (logs, SBOMs, provenance). Records point to it by URI + sha256.</summary>
public interface IEvidenceStore
{
    Task<EvidenceRef> PutAsync(string kind, string name, byte[] content, CancellationToken ct);
    Task<byte[]> GetAsync(string uri, CancellationToken ct);
}
