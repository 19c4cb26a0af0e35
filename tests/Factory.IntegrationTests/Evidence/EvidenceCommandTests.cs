using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.IntegrationTests.Infrastructure;
using Factory.Records;
using Sample = Factory.UnitTests.Support.SampleRecords;

namespace Factory.IntegrationTests.Evidence;

/// <summary>`factory evidence get` and `factory evidence gc` as a user runs them, on the local store and on the real RGW.</summary>
public sealed class EvidenceCommandTests : IAsyncLifetime
{
    private readonly RgwBucket _bucket = new();
    private readonly ScratchStore _scratch = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _bucket.DisposeAsync();
        _scratch.Dispose();
    }

    private static byte[] Content(string text) => Encoding.UTF8.GetBytes($"{text} {Guid.NewGuid()}\n");
    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public async Task Evidence_get_fetches_an_object_from_RGW_or_the_local_store_and_checks_its_sha256()
    {
        using var s3 = new S3EvidenceStore(Rgw.Options(_bucket.Name));
        var content = Content("line one\nline two");
        var inS3 = await s3.PutAsync(EvidenceKind.BuildLog, "build.log", content, CancellationToken.None);
        var local = await new FileSystemEvidenceStore(_scratch.State).PutAsync(EvidenceKind.Dockerfile, "Dockerfile", Content("FROM scratch"), CancellationToken.None);
        var file = Path.Combine(_scratch.Root, "out", "build.log");

        var toFile = await FactoryCli.RunAsync(["evidence", "get", inS3.Uri, "-o", file], Rgw.Environment("another-bucket"));
        var toStdout = await FactoryCli.RunAsync(["evidence", "get", inS3.Uri], Rgw.Environment("another-bucket"));
        var fromLocal = await FactoryCli.RunAsync(["evidence", "get", local.Uri, "--state", _scratch.State]);

        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(file));
        Assert.Contains("sha256 verified", toFile.Stderr);
        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        Assert.Equal(Encoding.UTF8.GetString(content), toStdout.Stdout);
        Assert.True(fromLocal.ExitCode == 0, fromLocal.ToString());
        Assert.StartsWith("FROM scratch", fromLocal.Stdout);
    }

    [Fact]
    public async Task Evidence_get_exits_2_with_a_clear_message_when_the_object_is_missing_unreachable_or_refused()
    {
        using var s3 = new S3EvidenceStore(Rgw.Options(_bucket.Name));
        var stored = await s3.PutAsync(EvidenceKind.BuildLog, "build.log", Content("log"), CancellationToken.None);
        var missing = $"s3://{_bucket.Name}/sha256/{new string('a', 64)}";
        var env = Rgw.Environment(_bucket.Name);
        var unreachable = new Dictionary<string, string>(env) { ["Evidence__S3__ServiceUrl"] = $"http://127.0.0.1:{FreePort()}" };

        var notThere = await FactoryCli.RunAsync(["evidence", "get", missing], env);
        var down = await FactoryCli.RunAsync(["evidence", "get", stored.Uri], unreachable);
        var denied = await FactoryCli.RunAsync(["evidence", "get", stored.Uri], Rgw.Environment(_bucket.Name, secretKey: "wrong"));
        var noSettings = await FactoryCli.RunAsync(["evidence", "get", stored.Uri]);
        var notAUri = await FactoryCli.RunAsync(["evidence", "get", "http://example/x"]);
        var localMissing = await FactoryCli.RunAsync(["evidence", "get", $"local:sha256/{new string('b', 64)}", "--state", _scratch.State]);

        Assert.True(notThere.ExitCode == 2, notThere.ToString());
        Assert.Contains($"evidence {missing} not found in s3://{_bucket.Name} at {Rgw.Url}", notThere.Stderr);
        Assert.True(down.ExitCode == 2, down.ToString());
        Assert.Contains("error: infrastructure: object storage http://127.0.0.1:", down.Stderr);
        Assert.Contains("failed: ", down.Stderr);
        Assert.True(denied.ExitCode == 2, denied.ToString());
        Assert.Contains("access denied", denied.Stderr);
        Assert.True(noSettings.ExitCode == 2, noSettings.ToString());
        Assert.Contains("Evidence:S3:ServiceUrl", noSettings.Stderr);
        Assert.True(notAUri.ExitCode == 2, notAUri.ToString());
        Assert.Contains("not an evidence URI", notAUri.Stderr);
        Assert.True(localMissing.ExitCode == 2, localMissing.ToString());
        Assert.Contains("not found in local evidence", localMissing.Stderr);
        Assert.All([notThere, down, denied, noSettings, notAUri, localMissing], r => Assert.Equal("", r.Stdout));
    }

    /// <summary>
    /// Records and objects: A's older passing record and B's old failure expire, an object nobody refers to goes;
    /// an object shared with a retained record stays, as do a recent failure's and the newest passing record's.
    /// </summary>
    [Theory]
    [InlineData("s3")]
    [InlineData("local")]
    public async Task Evidence_gc_removes_exactly_the_objects_no_retained_record_refers_to(string where)
    {
        using var stores = new EvidenceStores(
            where == "s3" ? new EvidenceOptions { Store = "s3", S3 = Rgw.Options(_bucket.Name) } : new EvidenceOptions(), _scratch.State);
        var store = stores.Configured;
        async Task<EvidenceRef> Put(string text) => await store.PutAsync(EvidenceKind.TestLog, "t.log", Content(text), CancellationToken.None);
        var shared = await Put("shared by A's two records");
        var aOld = await Put("A old only");
        var aNew = await Put("A newest");
        var bOld = await Put("B failed 20 days ago");
        var cRecent = await Put("C failed 2 days ago");
        var sharedWithFailure = await Put("old failure and current pass");
        var orphan = await Put("no record");
        var now = DateTimeOffset.UtcNow;
        var records = new SqliteCompatibilityRecordStore(_scratch.State);
        async Task Save(string key, string status, TimeSpan age, params EvidenceRef[] evidence) =>
            await records.SaveAsync(Sample.Make(key, status, reason: status == RecordStatus.Failed ? FailureReason.TestFailed : null, at: now - age) with { Evidence = evidence }, CancellationToken.None);
        await Save("key-a", RecordStatus.Passed, TimeSpan.FromDays(3), shared, aOld);
        await Save("key-a", RecordStatus.Passed, TimeSpan.FromDays(1), shared, aNew);
        await Save("key-b", RecordStatus.Failed, TimeSpan.FromDays(20), bOld);
        await Save("key-c", RecordStatus.Failed, TimeSpan.FromDays(2), cRecent);
        await Save("key-d", RecordStatus.Failed, TimeSpan.FromDays(30), sharedWithFailure);
        await Save("key-e", RecordStatus.Passed, TimeSpan.FromDays(30), sharedWithFailure);
        var env = (where == "s3" ? Rgw.Environment(_bucket.Name) : new Dictionary<string, string>());
        env["Evidence__Retention__FailedDays"] = "14";
        env["Evidence__Retention__UnreferencedDays"] = "0";
        env["Evidence__Retention__MinAgeHours"] = "0";
        var expected = new[] { aOld.Uri, bOld.Uri, orphan.Uri }.Order().ToList();

        var dry = await FactoryCli.RunAsync(["evidence", "gc", "--state", _scratch.State, "--dry-run", "--json"], env);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(expected, Uris(dry.Json));
        Assert.True(dry.Json.GetProperty("dry_run").GetBoolean());
        Assert.Equal(7, await CountAsync(store));

        var gc = await FactoryCli.RunAsync(["evidence", "gc", "--state", _scratch.State, "--json"], env);
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(expected, Uris(gc.Json));
        var removed = gc.Json.GetProperty("removed");
        Assert.Equal(3, removed.GetProperty("count").GetInt32());
        Assert.Equal(aOld.Size + bOld.Size + orphan.Size, removed.GetProperty("bytes").GetInt64());
        Assert.Equal(7, gc.Json.GetProperty("scanned").GetInt32());
        Assert.Equal(4, gc.Json.GetProperty("kept").GetInt32());
        Assert.Equal("unreferenced", removed.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("uri").GetString() == orphan.Uri).GetProperty("reason").GetString());
        foreach (var gone in new[] { aOld, bOld, orphan }) Assert.Null(await store.StatAsync(gone.Uri, CancellationToken.None));
        foreach (var kept in new[] { shared, aNew, cRecent, sharedWithFailure })
            Assert.Equal(kept.Sha256, Sha(await store.GetAsync(kept.Uri, CancellationToken.None)));

        var again = await FactoryCli.RunAsync(["evidence", "gc", "--state", _scratch.State], env);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("removed 0 of 4 objects (0 bytes), kept 4; 6 records", again.Stdout);
    }

    [Fact]
    public async Task Evidence_gc_keeps_young_objects_and_refuses_a_state_without_records()
    {
        using var stores = new EvidenceStores(new EvidenceOptions(), _scratch.State);
        var noRecords = await FactoryCli.RunAsync(["evidence", "gc", "--state", _scratch.State]);
        Assert.True(noRecords.ExitCode == 2, noRecords.ToString());
        Assert.Contains("no records here", noRecords.Stderr);

        var orphan = await stores.Configured.PutAsync(EvidenceKind.Error, "error.json", Content("{}"), CancellationToken.None);
        await new SqliteCompatibilityRecordStore(_scratch.State).SaveAsync(Sample.Make("key-x", at: DateTimeOffset.UtcNow), CancellationToken.None);
        var defaults = await FactoryCli.RunAsync(["evidence", "gc", "--state", _scratch.State, "--json"]);
        Assert.True(defaults.ExitCode == 0, defaults.ToString());
        Assert.Equal(0, defaults.Json.GetProperty("removed").GetProperty("count").GetInt32());
        Assert.NotNull(await stores.Configured.StatAsync(orphan.Uri, CancellationToken.None));
    }

    private static List<string> Uris(JsonElement report) =>
        report.GetProperty("removed").GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("uri").GetString()!).Order().ToList();

    private static async Task<int> CountAsync(IEvidenceStore store)
    {
        var n = 0;
        await foreach (var _ in store.ListAsync(CancellationToken.None)) n++;
        return n;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
