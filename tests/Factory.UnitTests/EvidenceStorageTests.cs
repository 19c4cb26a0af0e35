using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Factory.Contracts.Failures;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Manifests;
using Microsoft.Extensions.Configuration;

namespace Factory.UnitTests;

/// <summary>Evidence URIs, settings, the error classification of object storage, and the local store.</summary>
public sealed class EvidenceStorageTests : IDisposable
{
    private static readonly string Hex = new('c', 64);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-ut-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    [Theory]
    [InlineData("local:sha256/" + "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", null)]
    [InlineData("s3://bucket-1/sha256/" + "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "bucket-1")]
    public void Evidence_URIs_name_the_store_and_the_sha256(string uri, string? bucket)
    {
        var address = EvidenceAddress.Parse(uri);
        Assert.Equal(bucket, address.Bucket);
        Assert.Equal(Hex, address.Sha256);
        Assert.Equal("sha256/" + Hex, address.Key);
        Assert.Equal(uri, address.Uri);
    }

    [Theory]
    [InlineData("local:sha256/abc")]
    [InlineData("local:sha256/CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC")]
    [InlineData("s3:///sha256/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")]
    [InlineData("s3://b/other/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")]
    [InlineData("https://b/sha256/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")]
    public void Anything_else_is_not_an_evidence_URI(string uri) => Assert.False(EvidenceAddress.TryParse(uri, out _));

    [Fact]
    public void Settings_default_to_the_local_store_and_bind_from_the_Evidence_section()
    {
        Assert.False(EvidenceOptions.From(new ConfigurationBuilder().Build()).UsesS3);
        var options = EvidenceOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Evidence:Store"] = "s3", ["Evidence:S3:ServiceUrl"] = "http://127.0.0.1:7480", ["Evidence:S3:Bucket"] = "b",
            ["Evidence:S3:AccessKey"] = "a", ["Evidence:S3:SecretKey"] = "s", ["Evidence:Retention:FailedDays"] = "3",
            ["Evidence:Retention:PassingWhileCurrent"] = "false",
        }).Build());
        Assert.True(options.UsesS3);
        Assert.Equal(("http://127.0.0.1:7480", "b", "us-east-1"), (options.S3.ServiceUrl, options.S3.Bucket, options.S3.Region));
        Assert.Equal((3, false), (options.Retention.FailedDays, options.Retention.PassingWhileCurrent));
    }

    [Fact]
    public void S3_without_an_endpoint_or_credentials_and_an_unknown_store_are_rejected_naming_the_key()
    {
        var s3 = Assert.Throws<InvalidInputException>(() => new EvidenceOptions { Store = "s3" }.Validate());
        Assert.Equal(["Evidence:S3:ServiceUrl", "Evidence:S3:AccessKey", "Evidence:S3:SecretKey"], s3.Errors.Select(e => e.Field));
        var unknown = Assert.Throws<InvalidInputException>(() => new EvidenceOptions { Store = "ftp" }.Validate());
        Assert.Equal("Evidence:Store", Assert.Single(unknown.Errors).Field);
    }

    public static TheoryData<Exception, ObjectStorageFailure> Errors() => new()
    {
        { new AmazonS3Exception("boom", ErrorType.Receiver, "InternalError", "r", HttpStatusCode.InternalServerError), ObjectStorageFailure.Transient },
        { new AmazonS3Exception("busy", ErrorType.Receiver, "ServiceUnavailable", "r", HttpStatusCode.ServiceUnavailable), ObjectStorageFailure.Transient },
        { new AmazonS3Exception("slow", ErrorType.Sender, "SlowDown", "r", HttpStatusCode.ServiceUnavailable), ObjectStorageFailure.Transient },
        { new AmazonS3Exception("", ErrorType.Sender, "SignatureDoesNotMatch", "r", HttpStatusCode.Forbidden), ObjectStorageFailure.Denied },
        { new AmazonS3Exception("", ErrorType.Sender, "InvalidAccessKeyId", "r", HttpStatusCode.Forbidden), ObjectStorageFailure.Denied },
        { new AmazonS3Exception("", ErrorType.Sender, null, "r", HttpStatusCode.Forbidden), ObjectStorageFailure.Denied },
        { new AmazonS3Exception("", ErrorType.Sender, "NoSuchKey", "r", HttpStatusCode.NotFound), ObjectStorageFailure.NotFound },
        { new AmazonS3Exception("", ErrorType.Sender, "InvalidArgument", "r", HttpStatusCode.BadRequest), ObjectStorageFailure.Permanent },
        { new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), ObjectStorageFailure.Transient },
        { new AmazonServiceException("no answer", new HttpRequestException("reset")), ObjectStorageFailure.Transient },
        { new TaskCanceledException("HTTP timeout", new TimeoutException()), ObjectStorageFailure.Transient },
        { new IOException("connection reset by peer"), ObjectStorageFailure.Transient },
        { new Polly.CircuitBreaker.BrokenCircuitException(), ObjectStorageFailure.Permanent },
        { new ArgumentException("bug"), ObjectStorageFailure.Permanent },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Object_storage_errors_are_classified_in_one_place(Exception exception, ObjectStorageFailure expected) =>
        Assert.Equal(expected, ObjectStorageErrors.Classify(exception));

    private static ObjectStorageCalls Calls(int minimumThroughput = 100) =>
        new(new S3EvidenceOptions { ServiceUrl = "http://s3.test:1", MinimumThroughput = minimumThroughput });

    private static async Task<(InfrastructureException Failure, int Attempts)> FailOnceAsync(ObjectStorageCalls calls, string what, Exception thrown)
    {
        var attempts = 0;
        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => calls.RunAsync<int>(what, _ =>
        {
            attempts++;
            throw thrown;
        }, CancellationToken.None));
        return (failure, attempts);
    }

    [Fact]
    public async Task A_transient_failure_is_tried_once_and_becomes_a_retryable_infrastructure_exception_naming_the_store()
    {
        var (failure, attempts) = await FailOnceAsync(Calls(), "PUT x", new HttpRequestException("Connection refused"));

        Assert.Equal(1, attempts);
        Assert.Equal("object storage http://s3.test:1", failure.Service);
        Assert.Equal("object storage http://s3.test:1: PUT x failed: Connection refused", failure.Message);
        Assert.True(failure.Transient);
        Assert.True(FailureClassifier.IsRetryable(failure));
    }

    [Fact]
    public async Task Refused_credentials_and_a_refused_request_are_infrastructure_exceptions_that_are_not_retried()
    {
        var calls = Calls();
        var (denied, deniedAttempts) = await FailOnceAsync(calls, "GET y",
            new AmazonS3Exception("", ErrorType.Sender, "InvalidAccessKeyId", "r", HttpStatusCode.Forbidden));
        var (refused, refusedAttempts) = await FailOnceAsync(calls, "PUT z",
            new AmazonS3Exception("bad", ErrorType.Sender, "InvalidArgument", "r", HttpStatusCode.BadRequest));

        Assert.Equal((1, 1), (deniedAttempts, refusedAttempts));
        Assert.Contains("GET y: access denied (403 InvalidAccessKeyId)", denied.Message);
        Assert.Contains("Evidence:S3:SecretKey", denied.Message);
        Assert.Contains("PUT z: refused: 400 InvalidArgument", refused.Message);
        Assert.All([denied, refused], f =>
        {
            Assert.False(f.Transient);
            Assert.False(FailureClassifier.IsRetryable(f));
            Assert.Equal(FailureClassification.Infrastructure, FailureClassifier.Classify(f));
        });
    }

    [Fact]
    public async Task Once_the_circuit_opens_calls_fail_at_once_as_retryable_without_reaching_the_store()
    {
        var calls = Calls(minimumThroughput: 2);
        await FailOnceAsync(calls, "PUT a", new HttpRequestException("Connection refused"));
        await FailOnceAsync(calls, "PUT b", new HttpRequestException("Connection refused"));

        var (open, attempts) = await FailOnceAsync(calls, "PUT c", new HttpRequestException("Connection refused"));

        Assert.Equal(0, attempts);
        Assert.Contains("PUT c: not reachable: the circuit is open", open.Message);
        Assert.True(FailureClassifier.IsRetryable(open));
    }

    [Fact]
    public async Task The_local_store_puts_once_reads_back_checked_lists_and_deletes()
    {
        var store = new FileSystemEvidenceStore(_state);
        var content = Encoding.UTF8.GetBytes("hello evidence\n");
        var hex = Convert.ToHexStringLower(SHA256.HashData(content));

        var stored = await store.PutAsync(EvidenceKind.BuildLog, "build.log", content, CancellationToken.None);
        var again = await store.PutAsync(EvidenceKind.BuildLog, "other.log", content, CancellationToken.None);

        Assert.Equal($"local:sha256/{hex}", stored.Uri);
        Assert.Equal(stored.Uri, again.Uri);
        Assert.Equal(content, await store.GetAsync(stored.Uri, CancellationToken.None));
        var listed = new List<EvidenceObject>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) listed.Add(o);
        Assert.Equal((stored.Uri, content.LongLength), (Assert.Single(listed).Uri, listed[0].Size));

        await File.WriteAllTextAsync(Path.Combine(_state, "evidence", "sha256", hex[..2], hex), "tampered");
        Assert.Contains("sha256", (await Assert.ThrowsAsync<InfrastructureException>(() => store.GetAsync(stored.Uri, CancellationToken.None))).Message);
        Assert.True(await store.DeleteAsync(stored.Uri, CancellationToken.None));
        Assert.False(await ((IEvidenceStore)store).ExistsAsync(stored.Uri, CancellationToken.None));
        await Assert.ThrowsAsync<EvidenceNotFoundException>(() => store.GetAsync(stored.Uri, CancellationToken.None));
    }

    [Fact]
    public async Task A_put_of_stored_content_renews_an_old_object_so_retention_does_not_take_it_from_under_a_new_record()
    {
        var store = new FileSystemEvidenceStore(_state, refreshAfter: TimeSpan.FromMinutes(30));
        var stored = await store.PutAsync(EvidenceKind.BuildLog, "build.log", [1, 2, 3], CancellationToken.None);
        var path = Path.Combine(_state, "evidence", "sha256", stored.Sha256[..2], stored.Sha256);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));

        await store.PutAsync(EvidenceKind.BuildLog, "build.log", [1, 2, 3], CancellationToken.None);

        Assert.True(File.GetLastWriteTimeUtc(path) > DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task The_local_store_puts_a_file_as_a_stream_at_the_address_its_bytes_would_have_and_opens_it_as_a_stream()
    {
        var store = new FileSystemEvidenceStore(_state);
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i}\n")));
        var file = Path.Combine(_state, "spooled.log.gz");
        Directory.CreateDirectory(_state);
        await File.WriteAllBytesAsync(file, content);

        var stored = await store.PutFileAsync(EvidenceKind.TestOutput, "tests/t.log.gz", file, CancellationToken.None);

        Assert.Equal((EvidenceKind.TestOutput, "tests/t.log.gz", content.LongLength), (stored.Kind, stored.Name, stored.Size));
        Assert.Equal((await store.PutAsync(EvidenceKind.TestLog, "same", content, CancellationToken.None)).Uri, stored.Uri);
        Assert.True(File.Exists(file), "the file stays the caller's");
        await using (var read = await store.OpenReadAsync(stored.Uri, CancellationToken.None))
            Assert.Equal(stored.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(read)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_state, "evidence"), "*.tmp-*", SearchOption.AllDirectories));
        await Assert.ThrowsAsync<EvidenceNotFoundException>(() => store.OpenReadAsync($"local:sha256/{Hex}", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<InfrastructureException>(() => store.PutFileAsync(EvidenceKind.TestOutput, "x", Path.Combine(_state, "gone"), CancellationToken.None));
        Assert.Contains("gone", missing.Message);
    }
}
