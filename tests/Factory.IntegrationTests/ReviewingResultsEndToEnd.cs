using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>A reviewer's CLI on the real engine and registry: short keys, `records show` for a person, resolve as a gate, reruns and history.</summary>
[Collection(DockerCollection.Name)]
public sealed class ReviewingResultsEndToEnd : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_real_run_is_shown_by_its_short_key_resolves_to_its_digest_and_its_reruns_are_new_records_of_the_same_key()
    {
        _store.Write("plans/it_review.yaml", "id: it_review\nmanifest: core_smoke\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "it_review", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var item = first.Json.GetProperty("items")[0];
        var key = item.GetProperty("idempotency_key").GetString()!;
        var digest = item.GetProperty("image").GetString()!.Split('@')[1];

        var shown = await FactoryCli.RunAsync(_store.StateArgs("records", "show", key[..12]));
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.StartsWith("PASSED  core_smoke on linux/amd64", shown.Stdout);
        Assert.Contains("why: built: the first record of core_smoke on linux/amd64", shown.Stdout);
        Assert.Contains("evidence", shown.Stdout);
        Assert.Contains("sbom", shown.Stdout);
        var tooShort = await FactoryCli.RunAsync(_store.StateArgs("records", "show", key[..7]));
        Assert.True(tooShort.ExitCode == 2 && tooShort.Stderr.Contains("at least 8 characters"), tooShort.ToString());

        var resolved = await FactoryCli.RunAsync(_store.Args("resolve", "--manifest", "core_smoke", "--platform", "linux/amd64"));
        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        Assert.Equal(digest, resolved.Stdout.Trim());
        var nothing = await FactoryCli.RunAsync(_store.Args("resolve", "--manifest", "core_smoke", "--platform", "linux/amd64", "--modules", "light=1.1.0"));
        Assert.True(nothing.ExitCode == 1 && nothing.Stderr.Contains("no_record"), nothing.ToString());

        _store.Write("plans/it_rerun.yaml", "id: it_rerun\nmanifest: core_smoke\nplatforms: [linux/amd64]\nrerun: 2\n");
        var reruns = await FactoryCli.RunAsync(_store.Args("run", "it_rerun", "--json"));
        Assert.True(reruns.ExitCode == 0, reruns.ToString());
        var rerunItems = reruns.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, rerunItems.Count);
        Assert.All(rerunItems, i => Assert.Equal(key, i.GetProperty("idempotency_key").GetString()));
        Assert.Equal(2, rerunItems.Select(i => i.GetProperty("build_id").GetString()).Distinct().Count());
        Assert.Equal(3, CliRecords.Count(_store));

        var history = await FactoryCli.RunAsync(_store.StateArgs("records", "history", key[..12], "--json"));
        Assert.True(history.ExitCode == 0, history.ToString());
        var records = history.Json.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal([true, true, false], records.Select(r => r.GetProperty("rerun").GetBoolean()));
        Assert.False(history.Json.GetProperty("flakiness").GetProperty("flaky").GetBoolean());
        var why = await FactoryCli.RunAsync(_store.StateArgs("records", "why", records[0].GetProperty("build_id").GetString()!));
        Assert.StartsWith("rerun: the same inputs (key and test suite) passed before", why.Stdout);
    }
}
