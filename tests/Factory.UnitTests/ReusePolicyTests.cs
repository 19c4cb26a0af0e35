using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Planning;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>ReusePolicy.Decide: reuse a pass for the same suite, re-test a built image, otherwise build.</summary>
public sealed class ReusePolicyTests
{
    private static readonly WorkItem Item = new()
    {
        IdempotencyKey = "key1", PlanId = "p", ManifestId = "app", TemplateId = "base", TemplateVersion = "1.0.0",
        BaseImage = "127.0.0.1:5000/base/busybox@sha256:" + new string('b', 64), BaseDigest = "sha256:" + new string('b', 64),
        Platform = "linux/amd64", Pool = "amd64", Modules = [], TestSuiteId = "basic", TestSuiteHash = "suite1", Tests = [],
    };

    [Fact]
    public void With_no_records_the_item_is_built()
    {
        var decision = ReusePolicy.Decide(Item, []);
        Assert.Equal(new ReuseDecision(ReuseDecisionKind.Build), decision);
    }

    [Fact]
    public void A_passing_record_with_the_same_suite_hash_is_reused()
    {
        var passed = SampleRecords.Make();
        var decision = ReusePolicy.Decide(Item, Of(passed));
        Assert.Equal(ReuseDecisionKind.Reuse, decision.Kind);
        Assert.Equal(RecordSummary.Of(passed), decision.Record);
    }

    [Fact]
    public void The_newest_passing_record_is_reused()
    {
        var older = SampleRecords.Make(at: SampleRecords.T0);
        var newer = SampleRecords.Make(at: SampleRecords.T0.AddHours(1));
        Assert.Equal(RecordSummary.Of(newer), ReusePolicy.Decide(Item, Of(older, newer)).Record);
        Assert.Equal(RecordSummary.Of(newer), ReusePolicy.Decide(Item, Of(newer, older)).Record);
    }

    [Fact]
    public void A_pass_is_reused_even_when_a_newer_failure_exists_for_the_same_suite()
    {
        var passed = SampleRecords.Make(at: SampleRecords.T0);
        var failed = SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.TestFailed, at: SampleRecords.T0.AddHours(1));
        var decision = ReusePolicy.Decide(Item, Of(failed, passed));
        Assert.Equal(ReuseDecisionKind.Reuse, decision.Kind);
        Assert.Equal(RecordSummary.Of(passed), decision.Record);
    }

    [Fact]
    public void A_pass_for_another_suite_hash_means_testing_its_image_again()
    {
        var passed = SampleRecords.Make(suiteHash: "suite0", image: "registry/app@sha256:11");
        var decision = ReusePolicy.Decide(Item, Of(passed));
        Assert.Equal(new ReuseDecision(ReuseDecisionKind.TestOnly, RecordSummary.Of(passed), "registry/app@sha256:11"), decision);
    }

    [Fact]
    public void A_test_failure_with_an_image_means_testing_the_image_again()
    {
        var failed = SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.TestFailed, image: "registry/app@sha256:22");
        var decision = ReusePolicy.Decide(Item, Of(failed));
        Assert.Equal(ReuseDecisionKind.TestOnly, decision.Kind);
        Assert.Equal("registry/app@sha256:22", decision.Image);
    }

    [Fact]
    public void The_newest_built_image_is_tested_again()
    {
        var older = SampleRecords.Make(suiteHash: "suite0", image: "registry/app@sha256:old", at: SampleRecords.T0);
        var newer = SampleRecords.Make(suiteHash: "suite0", image: "registry/app@sha256:new", at: SampleRecords.T0.AddDays(1));
        Assert.Equal("registry/app@sha256:new", ReusePolicy.Decide(Item, Of(older, newer)).Image);
    }

    [Fact]
    public void Only_build_failures_mean_building_again()
    {
        var records = new[]
        {
            SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.BuildFailed, image: null, at: SampleRecords.T0),
            SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.BuildFailed, image: null, at: SampleRecords.T0.AddHours(1)),
        };
        Assert.Equal(new ReuseDecision(ReuseDecisionKind.Build), ReusePolicy.Decide(Item, Of(records)));
    }

    [Fact]
    public void An_image_over_the_size_limit_is_built_again_not_tested()
    {
        var tooBig = SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.SizeLimitExceeded, image: "registry/app@sha256:33");
        Assert.Equal(ReuseDecisionKind.Build, ReusePolicy.Decide(Item, Of(tooBig)).Kind);
    }

    private static IReadOnlyList<RecordSummary> Of(params CompatibilityRecord[] records) => records.Select(RecordSummary.Of).ToList();

    [Fact]
    public void A_rerun_of_a_passing_key_is_never_reused_but_tests_the_passing_image_again()
    {
        var passed = SampleRecords.Make(image: "registry/app@sha256:passed");
        var decision = ReusePolicy.Decide(Item with { Rerun = true }, Of(passed));
        Assert.Equal((ReuseDecisionKind.TestOnly, "registry/app@sha256:passed"), (decision.Kind, decision.Image));
    }

    [Fact]
    public void An_unsigned_passing_record_is_neither_reused_nor_its_image_tested_again()
    {
        var forged = SampleRecords.Make(signedBy: null);
        Assert.Equal(new ReuseDecision(ReuseDecisionKind.Build), ReusePolicy.Decide(Item, Of(forged)));
        Assert.Equal(new ReuseDecision(ReuseDecisionKind.Build), ReusePolicy.Decide(Item with { Rerun = true }, Of(forged)));
    }

    [Fact]
    public void A_signed_record_is_reused_even_when_a_newer_unsigned_one_exists()
    {
        var signed = SampleRecords.Make(at: SampleRecords.T0);
        var forged = SampleRecords.Make(at: SampleRecords.T0.AddHours(1), signedBy: null);
        Assert.Equal(RecordSummary.Of(signed), ReusePolicy.Decide(Item, Of(signed, forged)).Record);
    }
}
