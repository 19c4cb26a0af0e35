namespace Factory.Evidence;

/// <summary>Evidence in an S3-compatible bucket: what every object storage client behind <see cref="IEvidenceStore"/> also offers.</summary>
public interface IObjectStorageEvidenceStore : IEvidenceStore, IDisposable
{
    string Bucket { get; }

    /// <summary>The circuit breaker and error translation every call goes through.</summary>
    ObjectStorageCalls Calls { get; }

    /// <summary>Creates the bucket when it is missing (once per store; again after a failure).</summary>
    Task EnsureBucketAsync(CancellationToken ct);

    /// <summary>Null when the bucket answers, else why not (for readiness; never counted by the circuit breaker).</summary>
    Task<string?> ProbeAsync(CancellationToken ct);
}
