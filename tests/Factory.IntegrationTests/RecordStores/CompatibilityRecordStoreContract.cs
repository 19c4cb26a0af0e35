using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Records;
using Factory.UnitTests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Factory.IntegrationTests.RecordStores;

/// <summary>
/// What every compatibility record store must do (idempotent saves, queries, module digests), run against the
/// embedded default (SQLite + JSON files) and the fleet's PostgreSQL store alike.
/// </summary>
public abstract class CompatibilityRecordStoreContract
{
    protected abstract ICompatibilityRecordStore Store { get; }
    protected abstract Task<long> CountRecordsAsync();
    /// <summary>The build that recorded the module version's digest first (module_digests.first_build_id), or null.</summary>
    protected abstract Task<Guid?> FirstBuildOfAsync(string name, string version);
    protected static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Saving_a_build_id_twice_stores_it_once()
    {
        var record = SampleRecords.Make(key: "k1");
        Assert.True(await Store.SaveAsync(record, Ct));
        Assert.False(await Store.SaveAsync(record, Ct));
        Assert.False(await Store.SaveAsync(record with { Status = RecordStatus.Failed, IdempotencyKey = "k2" }, Ct));

        Assert.Equal(1, await CountRecordsAsync());
        Assert.Equal(RecordStatus.Passed, (await Store.GetAsync(record.BuildId, Ct))!.Status);
    }

    [Fact]
    public async Task A_group_stores_each_new_build_once_and_says_per_record_whether_it_was_inserted()
    {
        var existing = SampleRecords.Make(key: "k0");
        Assert.True(await Store.SaveAsync(existing, Ct));
        var (a, b, c) = (SampleRecords.Make(key: "k1"), SampleRecords.Make(key: "k2"), SampleRecords.Make(key: "k3"));

        var inserted = await Store.SaveManyAsync([a, existing with { Status = RecordStatus.Failed }, b, a with { Status = RecordStatus.Failed, IdempotencyKey = "k9" }, c], Ct);

        Assert.Equal([true, false, true, false, true], inserted);
        Assert.Equal(4, await CountRecordsAsync());
        Assert.Equal(RecordStatus.Passed, (await Store.GetAsync(existing.BuildId, Ct))!.Status);
        Assert.Equal((RecordStatus.Passed, "k1"), ((await Store.GetAsync(a.BuildId, Ct))!.Status, (await Store.GetAsync(a.BuildId, Ct))!.IdempotencyKey));
        Assert.Empty(await Store.FindByKeyAsync("k9", Ct));
        Assert.Equal([false, false], await Store.SaveManyAsync([b, c], Ct));
        Assert.Empty(await Store.SaveManyAsync([], Ct));
        Assert.Equal(4, await CountRecordsAsync());
    }

    [Fact]
    public async Task In_a_group_a_module_versions_first_digest_is_the_first_in_record_order_unless_an_earlier_build_recorded_one()
    {
        ModuleSelection Module(string name, string version, char digit) =>
            new() { Slot = name, Name = name, Version = version, ContentDigest = "sha256:" + new string(digit, 64) };
        var earlier = SampleRecords.Make(modules: [Module("alpha", "1.0.0", '1')]);
        await Store.SaveAsync(earlier, Ct);
        var first = SampleRecords.Make(modules: [Module("alpha", "1.0.0", '9'), Module("beta", "2.0.0", '2')]);
        var second = SampleRecords.Make(modules: [Module("beta", "2.0.0", '8'), Module("gamma", "1.0.0", '3')]);

        await Store.SaveManyAsync([first, second, first], Ct);

        var digests = await Store.GetModuleDigestsAsync(Ct);
        Assert.Equal(3, digests.Count);
        Assert.Equal("sha256:" + new string('1', 64), digests[("alpha", "1.0.0")]);
        Assert.Equal("sha256:" + new string('2', 64), digests[("beta", "2.0.0")]);
        Assert.Equal("sha256:" + new string('3', 64), digests[("gamma", "1.0.0")]);
        Assert.Equal(earlier.BuildId, await FirstBuildOfAsync("alpha", "1.0.0"));
        Assert.Equal(first.BuildId, await FirstBuildOfAsync("beta", "2.0.0"));
        Assert.Equal(second.BuildId, await FirstBuildOfAsync("gamma", "1.0.0"));
    }

    [Fact]
    public async Task A_group_with_a_record_the_store_refuses_writes_none_of_it()
    {
        var good = SampleRecords.Make(key: "k1", modules: [new ModuleSelection { Slot = "delta", Name = "delta", Version = "1.0.0", ContentDigest = "sha256:" + new string('4', 64) }]);
        var refused = SampleRecords.Make(key: "k2") with { Status = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => Store.SaveManyAsync([good, refused], Ct));

        Assert.Equal(0, await CountRecordsAsync());
        Assert.Null(await Store.GetAsync(good.BuildId, Ct));
        Assert.Empty(await Store.GetModuleDigestsAsync(Ct));
        Assert.True(await Store.SaveAsync(good, Ct));
    }

    [Fact]
    public async Task A_saved_record_reads_back_equal_in_substance()
    {
        var record = SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.TestFailed) with
        {
            Tests = [new TestResult { Name = "runs", Status = RecordStatus.Failed, ExitCode = 1, Reason = "exit code 1, expected 0" }],
            Evidence = [new EvidenceRef(EvidenceKind.TestLog, "file:///e/1", "sha256:" + new string('c', 64), 10, "runs")],
        };
        await Store.SaveAsync(record, Ct);

        var back = (await Store.GetAsync(record.BuildId, Ct))!;
        Assert.Equal((record.IdempotencyKey, record.Status, record.Reason, record.RecordedAt, record.Image), (back.IdempotencyKey, back.Status, back.Reason, back.RecordedAt, back.Image));
        Assert.Equal(record.Modules, back.Modules);
        Assert.Equal(record.Tests, back.Tests);
        Assert.Equal(record.Evidence, back.Evidence);
        Assert.Equal(record.Executor, back.Executor);
    }

    [Fact]
    public async Task An_unknown_build_id_reads_as_null()
    {
        Assert.Null(await Store.GetAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task Records_for_a_key_come_newest_first()
    {
        var middle = SampleRecords.Make(key: "k1", at: SampleRecords.T0.AddHours(1));
        var oldest = SampleRecords.Make(key: "k1", at: SampleRecords.T0);
        var newest = SampleRecords.Make(key: "k1", at: SampleRecords.T0.AddDays(1));
        var other = SampleRecords.Make(key: "k2", at: SampleRecords.T0.AddDays(2));
        foreach (var r in new[] { middle, oldest, newest, other }) await Store.SaveAsync(r, Ct);

        Assert.Equal([newest.BuildId, middle.BuildId, oldest.BuildId], (await Store.FindByKeyAsync("k1", Ct)).Select(r => r.BuildId));
        Assert.Empty(await Store.FindByKeyAsync("k3", Ct));
    }

    [Fact]
    public async Task Listing_filters_by_manifest_status_and_plan()
    {
        var appPassed = SampleRecords.Make(manifest: "app", at: SampleRecords.T0);
        var appFailed = SampleRecords.Make(manifest: "app", status: RecordStatus.Failed, reason: FailureReason.BuildFailed, at: SampleRecords.T0.AddMinutes(1));
        var otherPassed = SampleRecords.Make(manifest: "other", plan: "q", at: SampleRecords.T0.AddMinutes(2));
        foreach (var r in new[] { appPassed, appFailed, otherPassed }) await Store.SaveAsync(r, Ct);

        Assert.Equal([otherPassed.BuildId, appFailed.BuildId, appPassed.BuildId], (await Store.ListAsync(new RecordQuery(), Ct)).Select(r => r.BuildId));
        Assert.Equal([appFailed.BuildId, appPassed.BuildId], (await Store.ListAsync(new RecordQuery(ManifestId: "app"), Ct)).Select(r => r.BuildId));
        Assert.Equal([otherPassed.BuildId, appPassed.BuildId], (await Store.ListAsync(new RecordQuery(Status: RecordStatus.Passed), Ct)).Select(r => r.BuildId));
        Assert.Equal([appPassed.BuildId], (await Store.ListAsync(new RecordQuery(ManifestId: "app", Status: RecordStatus.Passed), Ct)).Select(r => r.BuildId));
        Assert.Equal([otherPassed.BuildId], (await Store.ListAsync(new RecordQuery(PlanId: "q"), Ct)).Select(r => r.BuildId));
        Assert.Equal([otherPassed.BuildId, appFailed.BuildId], (await Store.ListAsync(new RecordQuery(Limit: 2), Ct)).Select(r => r.BuildId));
        Assert.Empty(await Store.ListAsync(new RecordQuery(ManifestId: "nosuch"), Ct));
    }

    [Fact]
    public async Task Module_digests_are_recorded_and_the_first_digest_of_a_version_is_kept()
    {
        ModuleSelection Module(string name, string version, char digit) =>
            new() { Slot = name, Name = name, Version = version, ContentDigest = "sha256:" + new string(digit, 64) };

        await Store.SaveAsync(SampleRecords.Make(modules: [Module("alpha", "1.0.0", '1'), Module("beta", "1.0.0", '2')]), Ct);
        await Store.SaveAsync(SampleRecords.Make(modules: [Module("alpha", "1.0.0", '9'), Module("alpha", "1.1.0", '3')]), Ct);

        var digests = await Store.GetModuleDigestsAsync(Ct);
        Assert.Equal(3, digests.Count);
        Assert.Equal("sha256:" + new string('1', 64), digests[("alpha", "1.0.0")]);
        Assert.Equal("sha256:" + new string('3', 64), digests[("alpha", "1.1.0")]);
        Assert.Equal("sha256:" + new string('2', 64), digests[("beta", "1.0.0")]);
    }

    [Fact]
    public async Task Summaries_by_keys_and_by_build_ids_come_in_one_query_each_with_what_reuse_needs_signer_included()
    {
        var passed = SampleRecords.Make(key: "k1", image: "registry/app@sha256:aa", at: SampleRecords.T0);
        var failed = SampleRecords.Make(key: "k1", status: RecordStatus.Failed, reason: FailureReason.TestFailed, suiteHash: "suite2", image: "registry/app@sha256:bb", at: SampleRecords.T0.AddHours(1));
        // Unsigned: stored before results were checked; the summary must say so (reuse skips it).
        var built = SampleRecords.Make(key: "k2", status: RecordStatus.Failed, reason: FailureReason.BuildFailed, image: null, signedBy: null);
        var other = SampleRecords.Make(key: "k3");
        foreach (var r in new[] { passed, failed, built, other }) await Store.SaveAsync(r, Ct);

        var byKeys = await Store.FindSummariesAsync(["k1", "k2", "nosuch"], Ct);
        Assert.Equal(new[] { passed, failed, built }.Select(RecordSummary.Of).OrderBy(r => r.BuildId), byKeys.OrderBy(r => r.BuildId));
        var byBuilds = await Store.GetSummariesAsync([failed.BuildId, other.BuildId, Guid.NewGuid()], Ct);
        Assert.Equal(new[] { failed, other }.Select(RecordSummary.Of).OrderBy(r => r.BuildId), byBuilds.OrderBy(r => r.BuildId));
        Assert.Empty(await Store.FindSummariesAsync([], Ct));
    }

    [Fact]
    public async Task Many_records_read_back_by_build_id_at_once()
    {
        var a = SampleRecords.Make(key: "k1");
        var b = SampleRecords.Make(key: "k2");
        await Store.SaveAsync(a, Ct);
        await Store.SaveAsync(b, Ct);

        var many = await Store.GetManyAsync([a.BuildId, b.BuildId, Guid.NewGuid()], Ct);
        Assert.Equal(new[] { a.BuildId, b.BuildId }.Order(), many.Select(r => r.BuildId).Order());
        Assert.Empty(await Store.GetManyAsync([], Ct));
    }

    [Fact]
    public async Task Module_digests_can_be_asked_for_just_the_versions_a_plan_uses()
    {
        ModuleSelection Module(string name, string version, char digit) =>
            new() { Slot = name, Name = name, Version = version, ContentDigest = "sha256:" + new string(digit, 64) };
        await Store.SaveAsync(SampleRecords.Make(modules: [Module("alpha", "1.0.0", '1'), Module("beta", "1.0.0", '2'), Module("alpha", "2.0.0", '3')]), Ct);

        var digests = await Store.GetModuleDigestsAsync([("alpha", "1.0.0"), ("beta", "9.9.9"), ("gamma", "1.0.0")], Ct);

        Assert.Equal(("alpha", "1.0.0"), Assert.Single(digests).Key);
        Assert.Equal("sha256:" + new string('1', 64), digests[("alpha", "1.0.0")]);
    }

    [Fact]
    public async Task A_unique_prefix_of_eight_or_more_characters_names_a_key_or_a_build_and_an_ambiguous_one_lists_the_candidates()
    {
        var (keyA, keyB) = ("0123abcd" + new string('1', 56), "0123abce" + new string('2', 56));
        var a1 = SampleRecords.Make(key: keyA, at: SampleRecords.T0);
        var a2 = SampleRecords.Make(key: keyA, at: SampleRecords.T0.AddHours(1));
        var b = SampleRecords.Make(key: keyB, buildId: Guid.Parse("0123abcd-0000-4000-8000-000000000001"));
        foreach (var r in new[] { a1, a2, b }) await Store.SaveAsync(r, Ct);

        var byKey = await Store.LookupAsync("0123ABCD1", Ct);
        Assert.Equal((RecordLookupOutcome.Found, keyA), (byKey.Outcome, byKey.Key));
        Assert.Equal(a2.BuildId, (await Store.GetAsync(byKey, Ct))!.BuildId);
        Assert.Equal(b.BuildId, (await Store.LookupAsync("0123abcd-0000-4", Ct)).BuildId);
        Assert.Equal(keyB, (await Store.LookupAsync("0123abce", Ct)).Key);
        Assert.Equal(keyA, (await Store.LookupAsync(keyA, Ct)).Key);
        Assert.Equal(a1.BuildId, (await Store.LookupAsync(a1.BuildId.ToString(), Ct)).BuildId);

        var ambiguous = await Store.LookupAsync("0123abcd", Ct);
        Assert.Equal(RecordLookupOutcome.Ambiguous, ambiguous.Outcome);
        Assert.Equal(new[] { "key " + keyA, "build " + b.BuildId }.Order(), ambiguous.Candidates!.Order());
        Assert.Equal(RecordLookupOutcome.TooShort, (await Store.LookupAsync("0123abc", Ct)).Outcome);
        Assert.Equal(RecordLookupOutcome.NotFound, (await Store.LookupAsync("fedcba98", Ct)).Outcome);
    }

    [Fact]
    public async Task Facts_list_by_manifest_platform_plan_and_time_with_the_inputs_review_needs()
    {
        var early = SampleRecords.Make(manifest: "app", at: SampleRecords.T0);
        var late = SampleRecords.Make(manifest: "app", plan: "q", at: SampleRecords.T0.AddHours(2)) with { Platform = "linux/arm64" };
        var other = SampleRecords.Make(manifest: "other", at: SampleRecords.T0.AddHours(1));
        foreach (var r in new[] { early, late, other }) await Store.SaveAsync(r, Ct);

        var app = await Store.ListFactsAsync(new RecordQuery(ManifestId: "app"), Ct);
        Assert.Equal([RecordFacts.Of(late), RecordFacts.Of(early)], app, new FactsComparer());
        Assert.Equal([early.BuildId], (await Store.ListFactsAsync(new RecordQuery(ManifestId: "app", Platform: "linux/amd64"), Ct)).Select(r => r.BuildId));
        Assert.Equal([late.BuildId], (await Store.ListFactsAsync(new RecordQuery(PlanId: "q"), Ct)).Select(r => r.BuildId));
        Assert.Equal([other.BuildId, early.BuildId], (await Store.ListFactsAsync(new RecordQuery(Until: SampleRecords.T0.AddHours(2)), Ct)).Select(r => r.BuildId));
        Assert.Equal([late.BuildId, other.BuildId], (await Store.ListFactsAsync(new RecordQuery(Since: SampleRecords.T0.AddHours(1)), Ct)).Select(r => r.BuildId));
        Assert.Equal([late.BuildId], (await Store.ListAsync(new RecordQuery(Platform: "linux/arm64"), Ct)).Select(r => r.BuildId));
    }

    /// <summary>Facts hold a list of modules: equal when every field and every module is.</summary>
    private sealed class FactsComparer : IEqualityComparer<RecordFacts>
    {
        public bool Equals(RecordFacts? x, RecordFacts? y) =>
            x is not null && y is not null && x with { Modules = [] } == y with { Modules = [] } && x.Modules.SequenceEqual(y.Modules);

        public int GetHashCode(RecordFacts obj) => obj.BuildId.GetHashCode();
    }
}
