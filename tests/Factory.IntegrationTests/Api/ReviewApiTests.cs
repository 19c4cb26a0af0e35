using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Factory.Planning;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.IntegrationTests.Api;

/// <summary>The reviewer's API through HTTP, as a client sees it, on the control plane's real stores.</summary>
public sealed class ReviewApiTests(ControlPlaneApp app) : IClassFixture<ControlPlaneApp>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-6);

    private static string Key() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    private static ModuleSelection Module(string slot, string version) =>
        new() { Slot = slot, Name = slot, Version = version, ContentDigest = "sha256:" + new string(version[^1], 64), Owner = new("@" + slot, "team") };

    private static CompatibilityRecord Record(string manifest, string key, string status, int minutes, string numerics = "1.0.0", string platform = "linux/amd64",
        string? image = null) =>
        SampleRecords.Make(key: key, status: status, reason: status == RecordStatus.Failed ? FailureReason.TestFailed : null, manifest: manifest,
            at: T0.AddMinutes(minutes), image: image ?? (status == RecordStatus.Passed ? "127.0.0.1:5000/factory/app@sha256:" + new string('e', 64) : null),
            modules: [Module("python", "1.0.0"), Module("numerics", numerics)]) with { Platform = platform };

    private async Task SaveAsync(params CompatibilityRecord[] records)
    {
        foreach (var r in records) Assert.True(await app.Records.SaveAsync(r, CancellationToken.None));
    }

    private async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task The_matrix_shows_each_combination_and_platform_with_its_newest_status_flakiness_and_strip()
    {
        var manifest = "m" + Guid.NewGuid().ToString("N")[..8];
        var (k1, k2) = (Key(), Key());
        await SaveAsync(Record(manifest, k1, RecordStatus.Passed, 0), Record(manifest, k1, RecordStatus.Failed, 1), Record(manifest, k1, RecordStatus.Passed, 2),
            Record(manifest, k2, RecordStatus.Failed, 3, numerics: "1.1.0"), Record(manifest, Key(), RecordStatus.Passed, 4, platform: "linux/arm64"));

        var matrix = await GetJsonAsync($"/api/matrix/{manifest}?strip=2");

        Assert.Equal(["linux/amd64", "linux/arm64"], matrix.GetProperty("platforms").EnumerateArray().Select(p => p.GetString()));
        var rows = matrix.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["numerics=1.0.0,python=1.0.0", "numerics=1.1.0,python=1.0.0"], rows.Select(r => r.GetProperty("modules").GetString()));
        var flaky = rows[0].GetProperty("cells").GetProperty("linux/amd64");
        Assert.Equal(("flaky", "passed", 2), (flaky.GetProperty("state").GetString(), flaky.GetProperty("status").GetString(), flaky.GetProperty("strip").GetArrayLength()));
        Assert.Equal(0.3333, flaky.GetProperty("flakiness").GetProperty("rate").GetDouble());
        Assert.Equal("failed", rows[1].GetProperty("cells").GetProperty("linux/amd64").GetProperty("state").GetString());
        Assert.Contains("both passed and failed", matrix.GetProperty("flakiness_rule").GetString());

        var steady = await GetJsonAsync($"/api/matrix/{manifest}?hide_flaky=true&platform=linux/amd64");
        Assert.Equal(["numerics=1.1.0,python=1.0.0"], steady.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("modules").GetString()));

        var badStrip = await GetJsonAsync($"/api/matrix/{manifest}?strip=0", HttpStatusCode.BadRequest);
        Assert.Equal("strip", badStrip.GetProperty("errors")[0].GetProperty("field").GetString());
        var badStatus = await GetJsonAsync($"/api/matrix/{manifest}?status=green", HttpStatusCode.BadRequest);
        Assert.Contains("expected one of passed, failed, flaky, quarantined, expired", badStatus.GetProperty("detail").GetString());
        var unknown = await GetJsonAsync("/api/matrix/nosuch_manifest", HttpStatusCode.NotFound);
        Assert.Contains("nosuch_manifest", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Short_keys_and_build_ids_name_a_record_and_an_ambiguous_or_too_short_one_is_a_400()
    {
        var manifest = "m" + Guid.NewGuid().ToString("N")[..8];
        var key = Key();
        var twin = key[..10] + Key()[10..];
        var (older, newer) = (Record(manifest, key, RecordStatus.Failed, 0), Record(manifest, key, RecordStatus.Passed, 1));
        await SaveAsync(older, newer, Record(manifest, twin, RecordStatus.Passed, 2));

        Assert.Equal(newer.BuildId.ToString(), (await GetJsonAsync($"/api/records/{key[..12]}")).GetProperty("build_id").GetString());
        Assert.Equal(older.BuildId.ToString(), (await GetJsonAsync($"/api/records/{older.BuildId.ToString()[..13]}")).GetProperty("build_id").GetString());
        var ambiguous = await GetJsonAsync($"/api/records/{key[..10]}", HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "key " + key, "key " + twin }.Order(), ambiguous.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()).Order());
        var tooShort = await GetJsonAsync($"/api/records/{key[..7]}", HttpStatusCode.BadRequest);
        Assert.Contains("at least 8 characters", tooShort.GetProperty("detail").GetString());
        await GetJsonAsync($"/api/records/{key[..12]}/history", HttpStatusCode.OK);
        await GetJsonAsync($"/api/records/{key[..10]}/history", HttpStatusCode.BadRequest);
        await GetJsonAsync("/api/records/ffffffffffff/why", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task History_why_and_diff_explain_a_module_change_and_compare_puts_it_under_newly_failing()
    {
        var manifest = "m" + Guid.NewGuid().ToString("N")[..8];
        var before = Record(manifest, Key(), RecordStatus.Passed, 0);
        var after = Record(manifest, Key(), RecordStatus.Failed, 10, numerics: "1.1.0");
        var rerun = Record(manifest, before.IdempotencyKey, RecordStatus.Passed, 20);
        await SaveAsync(before, after, rerun);

        var why = await GetJsonAsync($"/api/records/{after.IdempotencyKey[..12]}/why");
        Assert.Equal("rebuilt because module numerics 1.0.0 → 1.1.0", why.GetProperty("why_built").GetProperty("text").GetString());
        Assert.Equal("test", why.GetProperty("failed_step").GetProperty("stage").GetString());
        Assert.Equal("rerun", (await GetJsonAsync($"/api/records/{rerun.BuildId}/why")).GetProperty("why_built").GetProperty("verdict").GetString());

        var history = await GetJsonAsync($"/api/records/{before.IdempotencyKey[..12]}/history?window=30d");
        Assert.Equal([rerun.BuildId.ToString(), before.BuildId.ToString()], history.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("build_id").GetString()));
        Assert.True(history.GetProperty("records")[0].GetProperty("rerun").GetBoolean());
        Assert.Equal("30d", history.GetProperty("flakiness").GetProperty("window").GetString());
        await GetJsonAsync($"/api/records/{before.BuildId}/history?window=soon", HttpStatusCode.BadRequest);

        var diff = await GetJsonAsync($"/api/records/{before.BuildId}/diff/{after.IdempotencyKey[..16]}");
        var change = Assert.Single(diff.GetProperty("inputs").EnumerateArray());
        Assert.Equal(("module", "numerics", "1.0.0", "1.1.0"),
            (change.GetProperty("kind").GetString(), change.GetProperty("name").GetString(), change.GetProperty("from").GetString(), change.GetProperty("to").GetString()));
        Assert.Contains("no SBOM evidence", diff.GetProperty("sbom_unavailable").GetString());

        var at = Uri.EscapeDataString(T0.AddMinutes(5).ToString("O"));
        var comparison = await GetJsonAsync($"/api/compare?manifest={manifest}&before={at}");
        Assert.Equal(0, comparison.GetProperty("newly_failing").GetArrayLength());
        Assert.Equal("numerics=1.1.0,python=1.0.0", Assert.Single(comparison.GetProperty("new").EnumerateArray()).GetProperty("modules").GetString());
        var asOf = Uri.EscapeDataString(T0.AddMinutes(15).ToString("O"));
        var withPlan = await GetJsonAsync($"/api/compare?manifest={manifest}&before_plan=p&before={at}&after={asOf}");
        Assert.Equal(1, withPlan.GetProperty("new").GetArrayLength());
        await GetJsonAsync($"/api/compare?manifest={manifest}", HttpStatusCode.BadRequest);
        await GetJsonAsync($"/api/compare?manifest={manifest}&before=yesterday-ish", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Compare_lists_a_cell_that_failed_after_passing_as_newly_failing_with_its_input_change()
    {
        var manifest = "m" + Guid.NewGuid().ToString("N")[..8];
        var passed = Record(manifest, Key(), RecordStatus.Passed, 0);
        var failed = Record(manifest, Key(), RecordStatus.Failed, 10) with { BaseDigest = "sha256:" + new string('9', 64) };
        await SaveAsync(passed, failed);

        var comparison = await GetJsonAsync($"/api/compare?manifest={manifest}&before={Uri.EscapeDataString(T0.AddMinutes(5).ToString("O"))}");

        var cell = Assert.Single(comparison.GetProperty("newly_failing").EnumerateArray());
        Assert.Equal(failed.BuildId.ToString(), cell.GetProperty("after").GetProperty("build_id").GetString());
        Assert.Equal("base_digest", Assert.Single(cell.GetProperty("changes").EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Resolve_answers_the_passing_digest_or_a_404_with_the_reason()
    {
        // The cell's key as it would be built now: the real planner against the real registry.
        var preparer = app.Services.GetRequiredService<PlanPreparer>();
        var store = app.Services.GetRequiredService<IManifestSource>().Current();
        var plan = Factory.Manifests.PlanReader.ForManifest(store, "core_smoke", "test");
        var items = await preparer.PrepareAsync(plan, store, PoolCatalog.Default.Pools.Select(p => p.Name).ToList(), DateTimeOffset.UtcNow, CancellationToken.None);
        var amd64 = items.Single(i => i.Platform == "linux/amd64");
        var arm64 = items.Single(i => i.Platform == "linux/arm64");
        CompatibilityRecord Of(WorkItem item, string status, string? image) =>
            SampleRecords.Make(key: item.IdempotencyKey, status: status, reason: status == RecordStatus.Failed ? FailureReason.TestFailed : null, suiteHash: item.TestSuiteHash,
                image: image, manifest: "core_smoke", modules: item.Modules, at: DateTimeOffset.UtcNow.AddMinutes(-1)) with { Platform = item.Platform, BaseDigest = item.BaseDigest };
        var digest = "sha256:" + new string('7', 64);
        await SaveAsync(Of(amd64, RecordStatus.Passed, "127.0.0.1:5000/factory/core_smoke@" + digest),
            Of(arm64, RecordStatus.Failed, "127.0.0.1:5000/factory-candidates/core_smoke@sha256:" + new string('6', 64)));

        var passing = await GetJsonAsync("/api/resolve?manifest=core_smoke&platform=linux/amd64");
        Assert.Equal(digest, passing.GetProperty("digest").GetString());
        Assert.Equal(amd64.IdempotencyKey, passing.GetProperty("record").GetProperty("idempotency_key").GetString());
        var quarantined = await GetJsonAsync("/api/resolve?manifest=core_smoke&platform=linux/arm64", HttpStatusCode.NotFound);
        Assert.Equal("quarantined", quarantined.GetProperty("reason").GetString());
        var none = await GetJsonAsync("/api/resolve?manifest=core_smoke&platform=linux/amd64&modules=light=1.1.0", HttpStatusCode.NotFound);
        Assert.Equal("no_record", none.GetProperty("reason").GetString());
        var badSlot = await GetJsonAsync("/api/resolve?manifest=core_smoke&platform=linux/amd64&modules=heavy=1.0.0", HttpStatusCode.BadRequest);
        Assert.Contains("heavy", badSlot.GetProperty("detail").GetString());
        await GetJsonAsync("/api/resolve?platform=linux/amd64", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Cancelling_a_submitted_plan_cancels_its_open_items()
    {
        using var submitted = await app.Http.PostAsync("/api/plans", new StringContent("id: cancel_me\nmanifest: core_smoke\nplatforms: [linux/amd64]\n"));
        var accepted = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement;
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, accepted.ToString());
        var id = accepted.GetProperty("id").GetString();

        using var cancel = await app.Http.PostAsync($"/api/plans/{id}/cancel", null);
        var answer = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(accepted.GetProperty("items").GetInt32() - accepted.GetProperty("reused").GetInt32(), answer.GetProperty("cancelled").GetInt32());
        var view = await GetJsonAsync($"/api/plans/{id}");
        Assert.Equal(PlanRunView.Completed, view.GetProperty("status").GetString());
        Assert.All(view.GetProperty("items").EnumerateArray(), i => Assert.Contains(i.GetProperty("status").GetString(), new[] { "cancelled", "reused" }));

        using var unknown = await app.Http.PostAsync($"/api/plans/{Guid.NewGuid()}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
