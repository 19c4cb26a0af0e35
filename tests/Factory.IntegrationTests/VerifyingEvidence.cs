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

    [Fact]
    public async Task Verify_trusts_the_keyring_only_not_the_pub_beside_the_evidence_and_old_records_verify_after_the_key_is_rotated()
    {
        var keyring = Path.Combine(_store.Root, "keyring");
        var environment = new Dictionary<string, string> { ["FACTORY_KEYRING"] = keyring };
        _store.Write("plans/it_trust1.yaml", "id: it_trust1\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        _store.Write("plans/it_trust2.yaml", "id: it_trust2\nmanifest: core_smoke\nmatrix: {light: [1.1.0]}\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "it_trust1", "--json"), environment);
        Assert.True(first.ExitCode == 0, first.ToString());
        var oldBuild = first.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;
        // The embedded run trusts its own key, in the keyring and not under the state directory.
        var oldKey = Assert.Single(Directory.GetFiles(keyring));
        Assert.Contains($"is now trusted: added to the keyring {keyring}", first.Stderr);
        var keys = Path.Combine(_store.State, "keys");
        Assert.True(File.Exists(Path.Combine(keys, "signing-key.pem.pub")), "the matching .pub sits beside the data");

        var outside = Directory.CreateDirectory(Path.Combine(_store.Root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "someone-else.pub"), Factory.Signing.SigningKey.Generate().PublicKeyPem());
        var refused = await FactoryCli.RunAsync("verify", oldBuild, "--state", _store.State, "--keyring", outside);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"which is not in the keyring {outside}", refused.Stdout);
        Assert.Contains("FAIL  record signature: signed by sha256:", refused.Stdout);
        Assert.Contains("FAIL  provenance: signed by sha256:", refused.Stdout);

        File.Copy(oldKey, Path.Combine(outside, "added.pub"));
        var added = await FactoryCli.RunAsync("verify", oldBuild, "--state", _store.State, "--keyring", outside);
        Assert.True(added.ExitCode == 0, added.ToString());

        // Rotation: a new key signs from now on; the old record verifies while its key stays in the keyring.
        Directory.Move(keys, Path.Combine(_store.Root, "retired-keys"));
        var second = await FactoryCli.RunAsync(_store.Args("run", "it_trust2", "--json"), environment);
        Assert.True(second.ExitCode == 0, second.ToString());
        var newBuild = second.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!;
        Assert.Equal(2, Directory.GetFiles(keyring).Length);
        foreach (var build in new[] { oldBuild, newBuild })
        {
            var verified = await FactoryCli.RunAsync("verify", build, "--state", _store.State, "--keyring", keyring);
            Assert.True(verified.ExitCode == 0, verified.ToString());
        }
        File.Delete(oldKey);
        var retired = await FactoryCli.RunAsync("verify", oldBuild, "--state", _store.State, "--keyring", keyring);
        Assert.True(retired.ExitCode == 1, retired.ToString());
        Assert.True((await FactoryCli.RunAsync("verify", newBuild, "--state", _store.State, "--keyring", keyring)).ExitCode == 0);
    }

    [Fact]
    public async Task Verify_without_a_keyring_is_refused_naming_where_it_looked()
    {
        var missing = Path.Combine(_store.Root, "no-keyring");
        var result = await FactoryCli.RunAsync(["verify", "anything", "--state", _store.State, "--keyring", missing]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"no keyring at {missing}", result.Stderr);
    }
}
