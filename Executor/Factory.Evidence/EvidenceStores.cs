using System.Collections.Concurrent;
using Factory.Manifests;

namespace Factory.Evidence;

/// <summary>
/// The evidence stores one process can reach: the configured store (where new evidence goes) and, to read, whichever
/// store holds a URI: <c>local:</c> → files under the state directory, <c>s3://bucket/...</c> → that bucket at the
/// configured S3 endpoint with the configured credentials.
/// </summary>
public sealed class EvidenceStores : IDisposable
{
    private readonly EvidenceOptions _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, S3EvidenceStore> _buckets = new(StringComparer.Ordinal);

    public FileSystemEvidenceStore Local { get; }
    /// <summary>Where this process writes evidence (Evidence:Store).</summary>
    public IEvidenceStore Configured { get; }

    public EvidenceStores(EvidenceOptions options, string stateDirectory, TimeProvider? clock = null)
    {
        options.Validate();
        _options = options;
        _clock = clock ?? TimeProvider.System;
        Local = new FileSystemEvidenceStore(stateDirectory, options.Retention.RefreshAfter, _clock);
        Configured = options.UsesS3 ? Bucket(options.S3.Bucket) : Local;
    }

    /// <summary>The store that holds this URI. Bad URIs and S3 URIs without S3 settings are an <see cref="InvalidInputException"/>.</summary>
    public IEvidenceStore For(string uri)
    {
        if (!EvidenceAddress.TryParse(uri, out var address))
            throw new InvalidInputException("URI", "", $"not an evidence URI: {Names.Quote(uri)} (expected local:sha256/<hex> or s3://<bucket>/sha256/<hex>, 64 lowercase hex digits)");
        if (address.IsLocal) return Local;
        if (_options.S3.Problems().ToList() is { Count: > 0 } problems)
            throw new InvalidInputException([.. problems.Select(p => p with { Message = $"{p.Message} (reading {uri}; set it, e.g. as the environment variable {p.Field.Replace(":", "__")})" })]);
        return Bucket(address.Bucket!);
    }

    public Task<byte[]> GetAsync(string uri, CancellationToken ct) => For(uri).GetAsync(uri, ct);

    /// <summary>The content as a stream, unchecked (see <see cref="IEvidenceStore.OpenReadAsync"/>).</summary>
    public Task<Stream> OpenReadAsync(string uri, CancellationToken ct) => For(uri).OpenReadAsync(uri, ct);

    /// <summary>The content, or null when the store that holds such URIs has nothing there.</summary>
    public async Task<byte[]?> FindAsync(string uri, CancellationToken ct)
    {
        try { return await GetAsync(uri, ct); }
        catch (EvidenceNotFoundException) { return null; }
    }

    public Task<EvidenceObject?> StatAsync(string uri, CancellationToken ct) => For(uri).StatAsync(uri, ct);

    /// <summary>Checks the configured store can be written to (creates the bucket when missing).</summary>
    public Task EnsureReadyAsync(CancellationToken ct) =>
        Configured is IObjectStorageEvidenceStore s3 ? s3.EnsureBucketAsync(ct) : Task.CompletedTask;

    /// <summary>Null when the configured store answers (the bucket, or a writable directory), else why not.</summary>
    public Task<string?> ProbeAsync(CancellationToken ct) =>
        Configured is IObjectStorageEvidenceStore s3 ? s3.ProbeAsync(ct) : Local.ProbeAsync(ct);

    private S3EvidenceStore Bucket(string bucket) =>
        _buckets.GetOrAdd(bucket, b => new S3EvidenceStore(_options.S3.WithBucket(b), _options.Retention.RefreshAfter, _clock));

    public void Dispose()
    {
        foreach (var store in _buckets.Values) store.Dispose();
    }
}
