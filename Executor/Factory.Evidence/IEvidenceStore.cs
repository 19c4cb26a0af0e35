using Factory.Contracts.Records;

namespace Factory.Evidence;

/// <summary>
/// Immutable, content-addressed evidence (logs, SBOMs, provenance). Records point to it by URI + sha256; the
/// URI's last segment is the sha256 of the content, so an object is shared by every record with the same bytes.
/// Storage failures throw <see cref="Factory.Contracts.Failures.InfrastructureException"/> (retried, when transient, as the
/// FailureClassifier decides); an object that is not there is <see cref="EvidenceNotFoundException"/>.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Where this store is, for messages ("local evidence in /x/.factory/evidence", "s3://bucket at http://...").</summary>
    string Description { get; }

    /// <summary>Stores the content once (nothing is written when it is already there) and returns its reference.</summary>
    Task<EvidenceRef> PutAsync(string kind, string name, byte[] content, CancellationToken ct);

    /// <summary>
    /// Stores a file's content as <see cref="PutAsync"/> stores bytes, read from the file as a stream (hashed, then copied
    /// or uploaded) so that an object of hundreds of MB never sits in memory. The file stays the caller's.
    /// </summary>
    Task<EvidenceRef> PutFileAsync(string kind, string name, string path, CancellationToken ct);

    /// <summary>The content, checked against the sha256 its URI names.</summary>
    Task<byte[]> GetAsync(string uri, CancellationToken ct);

    /// <summary>
    /// The content as a stream, not checked (the reader hashes what it reads): for objects too large to hold in memory.
    /// <see cref="EvidenceNotFoundException"/> when nothing is there.
    /// </summary>
    Task<Stream> OpenReadAsync(string uri, CancellationToken ct);

    /// <summary>What the store holds at this URI, or null when nothing.</summary>
    Task<EvidenceObject?> StatAsync(string uri, CancellationToken ct);

    async Task<bool> ExistsAsync(string uri, CancellationToken ct) => await StatAsync(uri, ct) is not null;

    /// <summary>Removes the object; false when it was not there.</summary>
    Task<bool> DeleteAsync(string uri, CancellationToken ct);

    /// <summary>Every object in the store (for retention).</summary>
    IAsyncEnumerable<EvidenceObject> ListAsync(CancellationToken ct);
}
