using System.Security.Cryptography;
using System.Text;
using Factory.Contracts.Failures;
using Factory.Contracts.Records;
using Factory.Evidence;
using Polly.CircuitBreaker;

namespace Factory.IntegrationTests.Evidence;

/// <summary>
/// What every S3 evidence store client must do against the real Ceph RGW: content-addressed objects, checks, credentials,
/// outages (the store unreachable, or its gateway answering 5xx). One subclass per client.
/// </summary>
public abstract class S3EvidenceStoreContract : IAsyncLifetime
{
    private readonly RgwBucket _bucket = new();

    protected abstract IObjectStorageEvidenceStore CreateStore(S3EvidenceOptions options);

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => _bucket.DisposeAsync().AsTask();

    private static byte[] Content(string text) => Encoding.UTF8.GetBytes($"{text} {Guid.NewGuid()}\n");
    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public async Task Evidence_written_to_RGW_reads_back_through_its_URI_with_its_sha256_and_size()
    {
        using var store = CreateStore(Rgw.Options(_bucket.Name));
        var content = Content("build log");

        var stored = await store.PutAsync(EvidenceKind.BuildLog, "build.log", content, CancellationToken.None);

        Assert.Equal($"s3://{_bucket.Name}/sha256/{Sha(content)}", stored.Uri);
        Assert.Equal(Sha(content), stored.Sha256);
        Assert.Equal(content.LongLength, stored.Size);
        Assert.Equal(("build_log", "build.log"), (stored.Kind, stored.Name));
        var raw = await Rgw.ReadAsync(_bucket.Name, $"sha256/{stored.Sha256}");
        Assert.Equal(content, raw);

        using var stores = new EvidenceStores(new EvidenceOptions { S3 = Rgw.Options("unused") }, Path.GetTempPath());
        var read = await stores.GetAsync(stored.Uri, CancellationToken.None);
        Assert.Equal(stored.Sha256, Sha(read));
        Assert.Equal(stored.Size, read.LongLength);
        var stat = await stores.StatAsync(stored.Uri, CancellationToken.None);
        Assert.Equal(content.LongLength, stat!.Size);
        var listed = new List<EvidenceObject>();
        await foreach (var o in store.ListAsync(CancellationToken.None)) listed.Add(o);
        Assert.Equal(stored.Uri, Assert.Single(listed).Uri);
    }

    [Fact]
    public async Task Putting_the_same_content_twice_stores_one_object_and_does_not_write_it_again()
    {
        using var store = CreateStore(Rgw.Options(_bucket.Name));
        var content = Content("test log");
        var first = await store.PutAsync(EvidenceKind.TestLog, "tests/a.log", content, CancellationToken.None);
        var written = (await store.StatAsync(first.Uri, CancellationToken.None))!.LastModified;
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // RGW keeps times to the second

        var second = await store.PutAsync(EvidenceKind.TestLog, "tests/b.log", content, CancellationToken.None);

        Assert.Equal(first.Uri, second.Uri);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(written, (await store.StatAsync(first.Uri, CancellationToken.None))!.LastModified);
        Assert.Single(await Rgw.ObjectsAsync(_bucket.Name));
    }

    [Fact]
    public async Task A_file_is_uploaded_as_a_stream_once_and_reads_back_as_a_stream_with_its_sha256()
    {
        using var store = CreateStore(Rgw.Options(_bucket.Name));
        var file = Path.Combine(Path.GetTempPath(), $"factory-s3-file-{Guid.NewGuid():N}");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 400_000).Select(i => $"line {i} {Guid.NewGuid()}\n")));
        await File.WriteAllBytesAsync(file, content);
        try
        {
            var stored = await store.PutFileAsync(EvidenceKind.TestOutput, "tests/t.log.gz", file, CancellationToken.None);

            Assert.Equal($"s3://{_bucket.Name}/sha256/{Sha(content)}", stored.Uri);
            Assert.Equal((content.LongLength, "tests/t.log.gz"), (stored.Size, stored.Name));
            var written = (await store.StatAsync(stored.Uri, CancellationToken.None))!.LastModified;
            await using (var read = await store.OpenReadAsync(stored.Uri, CancellationToken.None))
                Assert.Equal(stored.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(read)));
            await Task.Delay(TimeSpan.FromSeconds(1.2)); // RGW keeps times to the second
            Assert.Equal(stored.Uri, (await store.PutFileAsync(EvidenceKind.TestOutput, "tests/u.log.gz", file, CancellationToken.None)).Uri);
            Assert.Equal(written, (await store.StatAsync(stored.Uri, CancellationToken.None))!.LastModified);
            await Assert.ThrowsAsync<EvidenceNotFoundException>(() => store.OpenReadAsync($"s3://{_bucket.Name}/sha256/{new string('0', 64)}", CancellationToken.None));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_object_is_not_found_and_a_tampered_one_fails_its_sha256_check()
    {
        using var store = CreateStore(Rgw.Options(_bucket.Name));
        await store.EnsureBucketAsync(CancellationToken.None);
        var missing = $"s3://{_bucket.Name}/sha256/{new string('0', 64)}";
        await Assert.ThrowsAsync<EvidenceNotFoundException>(() => store.GetAsync(missing, CancellationToken.None));
        Assert.False(await ((IEvidenceStore)store).ExistsAsync(missing, CancellationToken.None));
        Assert.False(await store.DeleteAsync(missing, CancellationToken.None));

        var claimed = Sha(Content("the real thing"));
        using (var s3 = Rgw.Client())
            await s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = _bucket.Name, Key = $"sha256/{claimed}", ContentBody = "something else" });
        var tampered = await Assert.ThrowsAsync<InfrastructureException>(() => store.GetAsync($"s3://{_bucket.Name}/sha256/{claimed}", CancellationToken.None));
        Assert.Contains("sha256", tampered.Message);

        var kept = await store.PutAsync(EvidenceKind.Error, "e.json", Content("error"), CancellationToken.None);
        Assert.True(await store.DeleteAsync(kept.Uri, CancellationToken.None));
        Assert.Null(await store.StatAsync(kept.Uri, CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected_at_once_with_a_clear_infrastructure_error()
    {
        using var good = CreateStore(Rgw.Options(_bucket.Name));
        await good.EnsureBucketAsync(CancellationToken.None);
        await using var proxy = new TcpProxy(Rgw.Port);
        proxy.Start();
        var options = Rgw.Options(_bucket.Name, proxy.Url, secretKey: "not-the-secret");
        using var store = CreateStore(options);

        var put = await Assert.ThrowsAsync<InfrastructureException>(() => store.PutAsync(EvidenceKind.BuildLog, "build.log", Content("x"), CancellationToken.None));

        Assert.Equal($"object storage {proxy.Url}", put.Service);
        Assert.Contains("access denied", put.Message);
        Assert.Contains("Evidence:S3:SecretKey", put.Message);
        // Not retried, by the client or by us: the gateway saw each request the store made once.
        var requests = proxy.Requests.All;
        Assert.NotEmpty(requests);
        Assert.True(requests.Distinct().Count() == requests.Count, $"a denied call was retried:\n{string.Join("\n", requests)}");
        Assert.Equal(CircuitState.Closed, store.Calls.Circuit);
        Assert.False(put.Transient);
        Assert.False(FailureClassifier.IsRetryable(put)); // the work item is dead-lettered at once: new credentials need an operator
        Assert.Equal(FailureClassification.Infrastructure, FailureClassifier.Classify(put));

        using var starting = CreateStore(options);
        var start = await Assert.ThrowsAsync<InfrastructureException>(() => starting.EnsureBucketAsync(CancellationToken.None));
        Assert.Contains("access denied", start.Message);
        using var stores = new EvidenceStores(new EvidenceOptions { Store = "s3", S3 = options }, Path.GetTempPath());
        var ready = await Assert.ThrowsAsync<InfrastructureException>(() => stores.EnsureReadyAsync(CancellationToken.None));
        Assert.Contains("access denied", ready.Message);
    }

    [Fact]
    public async Task With_the_storage_unreachable_calls_fail_as_retryable_the_circuit_opens_and_calls_work_again_once_it_is_back()
    {
        await using var proxy = new TcpProxy(Rgw.Port);
        proxy.Start();
        var options = Rgw.Options(_bucket.Name, proxy.Url);
        options.MinimumThroughput = 4;
        options.BreakDuration = TimeSpan.FromSeconds(2);
        using var store = CreateStore(options);
        var before = await store.PutAsync(EvidenceKind.BuildLog, "build.log", Content("before"), CancellationToken.None);

        proxy.Stop();
        var down = await Assert.ThrowsAsync<InfrastructureException>(() => store.PutAsync(EvidenceKind.BuildLog, "build.log", Content("during"), CancellationToken.None));
        Assert.Equal($"object storage {proxy.Url}", down.Service);
        Assert.Contains("failed: ", down.Message);
        Assert.True(down.Transient);
        Assert.True(FailureClassifier.IsRetryable(down)); // retried by the bus, as the work item, not here

        // Each failed call is made once and counts once; when as many calls failed as succeeded before (FailureRatio 0.5),
        // the circuit opens, and the next call fails at once, still retryable, without reaching the store.
        for (var calls = 0; store.Calls.Circuit != CircuitState.Open; calls++)
        {
            Assert.True(calls < 20, "the circuit never opened");
            var failed = await Assert.ThrowsAsync<InfrastructureException>(() => store.GetAsync(before.Uri, CancellationToken.None));
            Assert.Contains("failed: ", failed.Message);
        }
        var read = await Assert.ThrowsAsync<InfrastructureException>(() => store.GetAsync(before.Uri, CancellationToken.None));
        Assert.Contains("circuit is open", read.Message);
        Assert.True(FailureClassifier.IsRetryable(read));

        proxy.Start();
        await Task.Delay(options.BreakDuration + TimeSpan.FromMilliseconds(300));
        var after = await store.PutAsync(EvidenceKind.BuildLog, "build.log", Content("after"), CancellationToken.None);
        Assert.Equal(CircuitState.Closed, store.Calls.Circuit);
        Assert.Equal(after.Size, (await Rgw.ReadAsync(_bucket.Name, $"sha256/{after.Sha256}"))!.LongLength);
        Assert.Equal(before.Sha256, Sha(await store.GetAsync(before.Uri, CancellationToken.None)));
    }

    [Theory]
    [InlineData(503, "")]
    [InlineData(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")]
    public async Task A_gateway_error_in_front_of_the_storage_is_a_retryable_failure_naming_the_store(int status, string body)
    {
        await using var gateway = new FailingGateway(status, body);
        using var store = CreateStore(Rgw.Options(_bucket.Name, gateway.Url));

        var put = await Assert.ThrowsAsync<InfrastructureException>(() => store.PutAsync(EvidenceKind.BuildLog, "build.log", Content("x"), CancellationToken.None));
        var get = await Assert.ThrowsAsync<InfrastructureException>(() => store.GetAsync($"s3://{_bucket.Name}/sha256/{new string('a', 64)}", CancellationToken.None));

        foreach (var failure in new[] { put, get })
        {
            Assert.Equal($"object storage {gateway.Url}", failure.Service);
            Assert.True(failure.Transient, failure.Message);
            Assert.True(FailureClassifier.IsRetryable(failure)); // retried by the bus: the gateway may be back by then
        }
        Assert.True(gateway.Requests > 0);
    }
}
