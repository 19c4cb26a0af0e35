using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>`factory verify`: signatures (record, provenance) and every evidence object re-hashed.</summary>
[Collection(DockerCollection.Name)]
public sealed class VerifyingEvidence : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Verify_passes_on_a_fresh_result_and_fails_naming_the_log_when_one_byte_of_it_changes_in_storage()
    {
        _store.Write("plans/it_verify.yaml", "id: it_verify\nmanifest: core_smoke\nmatrix: {light: [1.1.0]}\nplatforms: [linux/amd64]\n");
        var run = await FactoryCli.RunAsync(_store.Args("run", "it_verify", "--json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var buildId = run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;
        var record = await CliRecords.ShowAsync(_store, buildId);
        var kinds = record.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "build_log", "test_log", "sbom", "provenance", "record_signature" }, kinds);
        Assert.True(File.Exists(Path.Combine(_store.State, "keys", "signing-key.pem")), "the embedded default generates its signing key on first start");
        Assert.True(record.GetProperty("timings").GetProperty("sbom_ms").GetInt64() > 0, "the SBOM's generation time is kept with the record");

        var verified = await FactoryCli.RunAsync("verify", buildId, "--state", _store.State);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("ok    record signature: signed by", verified.Stdout);
        Assert.Contains("ok    provenance: signed; subject is the image", verified.Stdout);
        Assert.DoesNotContain("FAIL", verified.Stdout);

        // One byte of the build log changes in storage.
        var log = record.GetProperty("evidence").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "build_log");
        var hex = log.GetProperty("uri").GetString()!["local:sha256/".Length..];
        var path = Path.Combine(_store.State, "evidence", "sha256", hex[..2], hex);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var tampered = await FactoryCli.RunAsync("verify", buildId, "--state", _store.State);
        Assert.True(tampered.ExitCode == 1, tampered.ToString());
        Assert.Contains($"FAIL  build_log build.log local:sha256/{hex}", tampered.Stdout);
        Assert.Contains("NOT verified: 1 of", tampered.Stdout);
    }

    [Fact]
    public async Task Verify_fails_when_the_record_is_not_the_one_that_was_signed()
    {
        _store.Write("plans/it_verify2.yaml", "id: it_verify2\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        var run = await FactoryCli.RunAsync(_store.Args("run", "it_verify2", "--json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var buildId = run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;

        // Someone edits the stored record: a failed test made to look passed is no longer what was signed.
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_store.State, "factory.db")};Pooling=False"))
        {
            db.Open();
            using var edit = db.CreateCommand();
            edit.CommandText = "UPDATE records SET record_json = replace(record_json, '\"timed_out\": false', '\"timed_out\": true') WHERE build_id = $b";
            edit.Parameters.AddWithValue("$b", buildId);
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        var verified = await FactoryCli.RunAsync("verify", buildId, "--state", _store.State);
        Assert.True(verified.ExitCode == 1, verified.ToString());
        Assert.Contains("FAIL  record signature: the signature is valid but the signed record differs from this record", verified.Stdout);
    }
}
