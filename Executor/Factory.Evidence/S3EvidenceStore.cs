using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Factory.Contracts.Failures;
using Factory.Contracts.Records;

namespace Factory.Evidence;

/// <summary>
/// Evidence in an S3 bucket (Ceph RGW here), one object per content at <c>sha256/&lt;hex&gt;</c>, addressed as
/// <c>s3://&lt;bucket&gt;/sha256/&lt;hex&gt;</c>. Objects are immutable: a put looks first (HEAD) and writes only when
/// the object is missing, then checks what was stored. Every call goes through <see cref="ObjectStorageCalls"/>.
/// </summary>
public sealed class S3EvidenceStore : IObjectStorageEvidenceStore
{
    private readonly AmazonS3Client _s3;
    private readonly ObjectStorageCalls _calls;
    private readonly TimeSpan _refreshAfter;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _bucketLock = new(1, 1);
    private volatile bool _bucketReady;

    public string Bucket { get; }
    public string ServiceUrl { get; }
    public string Description => $"s3://{Bucket} at {ServiceUrl}";
    public ObjectStorageCalls Calls => _calls;

    /// <param name="refreshAfter">A put of content already stored rewrites it once it is older than this (zero: never), see <see cref="RetentionOptions.MinAgeHours"/>.</param>
    public S3EvidenceStore(S3EvidenceOptions options, TimeSpan refreshAfter = default, TimeProvider? clock = null)
    {
        Bucket = options.Bucket;
        ServiceUrl = options.ServiceUrl.TrimEnd('/');
        _refreshAfter = refreshAfter;
        _clock = clock ?? TimeProvider.System;
        _calls = new ObjectStorageCalls(options, clock);
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // The SDK does not retry either: a failed work item is retried by the bus, as FailureClassifier decides (one policy, one place).
            MaxErrorRetry = 0,
            Timeout = options.Timeout,
            ConnectTimeout = options.Timeout < TimeSpan.FromSeconds(10) ? options.Timeout : TimeSpan.FromSeconds(10),
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <summary>
    /// One HEAD of the bucket, outside the circuit breaker: readiness asks every few seconds, and its answers must
    /// neither open the circuit for real work nor be refused by an open one.
    /// </summary>
    public async Task<string?> ProbeAsync(CancellationToken ct)
    {
        try
        {
            await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, ct);
            return null;
        }
        catch (AmazonS3Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.NotFound)
        {
            return $"{Description}: the bucket does not exist";
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException)
        {
            return $"{Description}: {ex.Message}";
        }
    }

    public async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (_bucketReady) return;
        await _bucketLock.WaitAsync(ct);
        try
        {
            if (_bucketReady) return;
            var exists = await _calls.RunAsync($"HEAD bucket {Bucket}", async token =>
            {
                try
                {
                    await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket }, token);
                    return true;
                }
                catch (AmazonS3Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.NotFound)
                {
                    return false;
                }
            }, ct);
            if (!exists)
                await _calls.RunAsync($"create bucket {Bucket}", async token =>
                {
                    try
                    {
                        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, token);
                    }
                    catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou")
                    {
                        // Another executor created it first.
                    }
                }, ct);
            _bucketReady = true;
        }
        finally
        {
            _bucketLock.Release();
        }
    }

    public Task<EvidenceRef> PutAsync(string kind, string name, byte[] content, CancellationToken ct) =>
        StoreAsync(kind, name, Convert.ToHexStringLower(SHA256.HashData(content)), content.LongLength,
            () => new PutObjectRequest { InputStream = new MemoryStream(content, writable: false), AutoCloseStream = true }, ct);

    public async Task<EvidenceRef> PutFileAsync(string kind, string name, string path, CancellationToken ct)
    {
        var (hex, size) = await EvidenceFile.DigestAsync(path, ct);
        // The SDK streams the file from disk (FilePath), part by part as it sends: the object is never in memory.
        return await StoreAsync(kind, name, hex, size, () => new PutObjectRequest { FilePath = path }, ct);
    }

    /// <summary>Uploads the content (a request made fresh for each try) unless the object is there already and fresh, then checks it.</summary>
    private async Task<EvidenceRef> StoreAsync(string kind, string name, string hex, long size, Func<PutObjectRequest> request, CancellationToken ct)
    {
        var address = EvidenceAddress.S3(Bucket, hex);
        await EnsureBucketAsync(ct);
        var existing = await StatAsync(address, ct);
        var fresh = existing is not null && (_refreshAfter <= TimeSpan.Zero || existing.LastModified >= _clock.GetUtcNow() - _refreshAfter);
        if (existing is null || existing.Size != size || !fresh)
        {
            await _calls.RunAsync($"PUT {address.Uri}", token =>
            {
                var put = request();
                put.BucketName = Bucket;
                put.Key = address.Key;
                put.ContentType = "application/octet-stream";
                return _s3.PutObjectAsync(put, token);
            }, ct);
            var stored = await StatAsync(address, ct)
                ?? throw new InfrastructureException(_calls.Service, $"PUT {address.Uri} was acknowledged but the object is not there");
            if (stored.Size != size)
                throw new InfrastructureException(_calls.Service, $"PUT {address.Uri} stored {stored.Size} bytes, not {size}");
        }
        return new EvidenceRef(kind, address.Uri, hex, size, name);
    }

    public async Task<Stream> OpenReadAsync(string uri, CancellationToken ct)
    {
        var address = Address(uri);
        var response = await _calls.RunAsync($"GET {uri}", async token =>
        {
            try
            {
                return await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = address.Key }, token);
            }
            catch (AmazonS3Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.NotFound)
            {
                return null;
            }
        }, ct) ?? throw new EvidenceNotFoundException(uri, Description);
        // Closing the stream ends the response (and frees its connection).
        return response.ResponseStream;
    }

    public async Task<byte[]> GetAsync(string uri, CancellationToken ct)
    {
        var address = Address(uri);
        var content = await _calls.RunAsync($"GET {uri}", async token =>
        {
            try
            {
                using var response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = address.Key }, token);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, token);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.NotFound)
            {
                return null;
            }
        }, ct) ?? throw new EvidenceNotFoundException(uri, Description);
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (actual != address.Sha256)
            throw new InfrastructureException(_calls.Service, $"GET {uri}: read {content.Length} bytes with sha256 {actual}, not the one the address names (corrupt object or truncated read)");
        return content;
    }

    public Task<EvidenceObject?> StatAsync(string uri, CancellationToken ct) => StatAsync(Address(uri), ct);

    public async Task<bool> DeleteAsync(string uri, CancellationToken ct)
    {
        var address = Address(uri);
        if (await StatAsync(address, ct) is null) return false;
        await _calls.RunAsync($"DELETE {uri}", token => _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = address.Key }, token), ct);
        return true;
    }

    public async IAsyncEnumerable<EvidenceObject> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        string? continuation = null;
        do
        {
            var page = await _calls.RunAsync($"LIST s3://{Bucket}/{EvidenceAddress.KeyPrefix}", async token =>
            {
                try
                {
                    return await _s3.ListObjectsV2Async(new ListObjectsV2Request
                    {
                        BucketName = Bucket, Prefix = EvidenceAddress.KeyPrefix, ContinuationToken = continuation, MaxKeys = 1000,
                    }, token);
                }
                catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
                {
                    return null; // nothing was ever stored
                }
            }, ct);
            if (page is null) yield break;
            foreach (var o in page.S3Objects ?? [])
            {
                var hex = o.Key[EvidenceAddress.KeyPrefix.Length..];
                if (!EvidenceAddress.IsSha256(hex)) continue;
                yield return new EvidenceObject(EvidenceAddress.S3(Bucket, hex).Uri, hex, o.Size ?? 0, Utc(o.LastModified));
            }
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (continuation is not null);
    }

    private Task<EvidenceObject?> StatAsync(EvidenceAddress address, CancellationToken ct) =>
        _calls.RunAsync($"HEAD {address.Uri}", async token =>
        {
            try
            {
                var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = address.Key }, token);
                return new EvidenceObject(address.Uri, address.Sha256, head.ContentLength, Utc(head.LastModified));
            }
            catch (AmazonS3Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.NotFound)
            {
                return null;
            }
        }, ct);

    private static DateTimeOffset Utc(DateTime? time) => time is { } t
        ? new DateTimeOffset(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero)
        : DateTimeOffset.MinValue;

    private EvidenceAddress Address(string uri) =>
        EvidenceAddress.TryParse(uri, out var address) && address.Bucket == Bucket
            ? address
            : throw new ArgumentException($"not an evidence URI of bucket {Bucket}: {uri}", nameof(uri));

    public void Dispose()
    {
        _s3.Dispose();
        _bucketLock.Dispose();
    }
}
