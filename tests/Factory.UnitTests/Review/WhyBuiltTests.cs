using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

public sealed class WhyBuiltTests
{
    [Fact]
    public void A_new_module_version_is_explained_against_the_nearest_earlier_record()
    {
        var older = Facts("k0", RecordStatus.Passed, 0, numerics: "0.9.0", baseDigest: BaseB);
        var nearest = Facts("k1", RecordStatus.Passed, 5);
        var record = Facts("k2", RecordStatus.Passed, 10, numerics: "1.1.0");
        var later = Facts("k3", RecordStatus.Passed, 20, numerics: "1.1.0", baseDigest: BaseB);

        var why = WhyBuilt.Explain(record, [older, nearest, record, later]);

        Assert.Equal(BuildExplanation.Rebuilt, why.Verdict);
        Assert.Equal(nearest.BuildId, why.ComparedWith);
        Assert.Equal("rebuilt because module numerics 1.0.0 → 1.1.0", why.Text);
    }

    [Fact]
    public void The_same_inputs_that_passed_before_make_a_rerun_and_a_new_suite_a_retest()
    {
        var passed = Facts("k1", RecordStatus.Passed, 0);
        Assert.Equal(BuildExplanation.Rerun, WhyBuilt.Explain(Facts("k1", RecordStatus.Failed, 5), [passed]).Verdict);
        var retest = WhyBuilt.Explain(Facts("k1", RecordStatus.Passed, 5, suite: "suite2"), [passed]);
        Assert.Equal(BuildExplanation.Retested, retest.Verdict);
        Assert.Equal(InputChanges.TestSuite, Assert.Single(retest.Changes).Kind);
    }

    [Fact]
    public void The_first_record_of_a_manifest_on_a_platform_says_so()
    {
        var record = Facts("k1", RecordStatus.Passed, 5);
        var why = WhyBuilt.Explain(record, [record, Facts("k9", RecordStatus.Passed, 0, platform: "linux/arm64")]);
        Assert.Equal(BuildExplanation.First, why.Verdict);
        Assert.Null(why.ComparedWith);
    }
}
