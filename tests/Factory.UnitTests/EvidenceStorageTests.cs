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

    [Fact]
    public async Task Calls_retry_transient_failures_then_throw_an_infrastructure_exception_naming_the_store()
    {
        var calls = new ObjectStorageCalls(new S3EvidenceOptions { ServiceUrl = "http://s3.test:1", Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(1), MinimumThroughput = 100 });
        var attempts = 0;
        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => calls.RunAsync<int>("PUT x", _ =>
        {
            attempts++;
            throw new HttpRequestException("Connection refused");
        }, CancellationToken.None));
        Assert.Equal(3, attempts);
        Assert.Equal("object storage http://s3.test:1", failure.Service);
        Assert.Equal("object storage http://s3.test:1: PUT x failed after 3 attempt(s): Connection refused", failure.Message);

        attempts = 0;
        var denied = await Assert.ThrowsAsync<InfrastructureException>(() => calls.RunAsync<int>("GET y", _ =>
        {
            attempts++;
            throw new AmazonS3Exception("", ErrorType.Sender, "InvalidAccessKeyId", "r", HttpStatusCode.Forbidden);
        }, CancellationToken.None));
        Assert.Equal(1, attempts);
        Assert.Contains("GET y: access denied (403 InvalidAccessKeyId)", denied.Message);
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
}
