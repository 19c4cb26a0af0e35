using System.Text;
using Factory.Contracts.Failures;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Executor.Engine;
using Factory.IntegrationTests.Infrastructure;
using Factory.Records;
using Sample = Factory.UnitTests.Support.SampleRecords;

namespace Factory.IntegrationTests.Evidence;

/// <summary>
/// The local evidence store on a real full filesystem: a tmpfs of 2 MiB mounted for the test (the tests run as root).
/// A failed write leaves no partial file behind, so a retry once there is room succeeds, and gc still runs.
/// </summary>
public sealed class EvidenceOnAFullDisk : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), $"factory-full-{Guid.NewGuid():N}");

    private string State => Path.Combine(_mount, "state");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        var mount = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", _mount], timeout: TimeSpan.FromSeconds(30));
        Assert.True(mount.ExitCode == 0, $"a tmpfs is needed to fill a disk for real (run as root): {mount.Combined}");
        Directory.CreateDirectory(State);
    }

    public async Task DisposeAsync()
    {
        await ProcessRunner.RunAsync("umount", [_mount], timeout: TimeSpan.FromSeconds(30));
        Directory.Delete(_mount, recursive: true);
    }

    private static byte[] Content(int bytes) => Encoding.UTF8.GetBytes(new string('e', bytes - 33) + Guid.NewGuid().ToString("N") + "\n");

    private string[] Leftovers() => Directory.EnumerateFiles(_mount, "*.tmp-*", SearchOption.AllDirectories).ToArray();

    /// <summary>Fills what is left of the filesystem; returns the file, whose removal frees the space.</summary>
    private string Fill()
    {
        var filler = Path.Combine(_mount, "filler");
        using var file = File.OpenWrite(filler);
        var block = new byte[4096];
        try
        {
            while (true) file.Write(block);
        }
        catch (IOException) { }
        return filler;
    }

    [Fact]
    public async Task A_write_that_does_not_fit_leaves_no_partial_file_and_succeeds_when_retried_once_there_is_room()
    {
        var store = new FileSystemEvidenceStore(State);
        var content = Content(512 * 1024);
        var filler = Fill();

        var failed = await Assert.ThrowsAsync<InfrastructureException>(() => store.PutAsync(EvidenceKind.TestLog, "t.log", content, CancellationToken.None));
        Assert.Contains("No space left on device", failed.Message);
        Assert.Empty(Leftovers());
        Assert.True(FailureClassifier.IsRetryable(failed), "a full disk is the infrastructure's, retried");

        File.Delete(filler);
        var stored = await store.PutAsync(EvidenceKind.TestLog, "t.log", content, CancellationToken.None);
        Assert.Equal(content, await store.GetAsync(stored.Uri, CancellationToken.None));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task A_file_put_that_does_not_fit_leaves_no_partial_file_and_succeeds_when_retried_once_there_is_room()
    {
        var store = new FileSystemEvidenceStore(State);
        var source = Path.Combine(Path.GetTempPath(), $"factory-full-source-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(source, Content(512 * 1024));
        try
        {
            var filler = Fill();

            var failed = await Assert.ThrowsAsync<InfrastructureException>(() => store.PutFileAsync(EvidenceKind.TestOutput, "t.log.gz", source, CancellationToken.None));
            Assert.Contains("No space left on device", failed.Message);
            Assert.Empty(Leftovers());
            Assert.True(FailureClassifier.IsRetryable(failed), "a full disk is the infrastructure's, retried");

            File.Delete(filler);
            var stored = await store.PutFileAsync(EvidenceKind.TestOutput, "t.log.gz", source, CancellationToken.None);
            Assert.Equal(await File.ReadAllBytesAsync(source), await store.GetAsync(stored.Uri, CancellationToken.None));
            Assert.Empty(Leftovers());
        }
        finally
        {
            File.Delete(source);
        }
    }

    // On the full tmpfs the records' normal open fails (SQLite Error 10: it makes its WAL and shared-memory files);
    // gc then reads them as an immutable file, and frees what no record needs.
    [Fact]
    public async Task Evidence_gc_runs_on_a_full_disk_and_frees_the_objects_no_record_needs()
    {
        var store = new FileSystemEvidenceStore(State);
        var kept = await store.PutAsync(EvidenceKind.TestLog, "kept.log", Content(64 * 1024), CancellationToken.None);
        var orphan = await store.PutAsync(EvidenceKind.TestLog, "orphan.log", Content(256 * 1024), CancellationToken.None);
        await new SqliteCompatibilityRecordStore(State).SaveAsync(Sample.Make("key-full", RecordStatus.Passed) with { Evidence = [kept] }, CancellationToken.None);
        Fill();
        var env = new Dictionary<string, string>
        {
            ["Evidence__Retention__UnreferencedDays"] = "0",
            ["Evidence__Retention__MinAgeHours"] = "0",
        };

        var gc = await FactoryCli.RunAsync(["evidence", "gc", "--state", State, "--json"], env);

        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal([orphan.Uri], gc.Json.GetProperty("removed").GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("uri").GetString()));
        Assert.Null(await store.StatAsync(orphan.Uri, CancellationToken.None));
        Assert.NotNull(await store.StatAsync(kept.Uri, CancellationToken.None));
    }
}
