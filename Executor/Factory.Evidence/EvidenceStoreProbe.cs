using Factory.Contracts.Health;

namespace Factory.Evidence;

/// <summary>Where this process writes evidence answers: the S3 bucket, or a writable local directory.</summary>
public sealed class EvidenceStoreProbe(EvidenceStores stores) : IReadinessProbe
{
    public string Name => "evidence";

    public Task<string?> ProbeAsync(CancellationToken ct) => stores.ProbeAsync(ct);
}
