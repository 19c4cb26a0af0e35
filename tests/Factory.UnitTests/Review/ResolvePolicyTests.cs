using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

public sealed class ResolvePolicyTests
{
    private static readonly ExpectedCell Expected = new(new CellId("llm", "numerics=1.0.0,python=3.11", "linux/amd64"), "k1", "suite1", BaseA);
    private const string Quarantine = "127.0.0.1:5000/factory-candidates/llm@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

    [Fact]
    public void The_newest_pass_of_the_expected_key_and_suite_is_the_answer_with_its_digest()
    {
        var older = Facts("k1", RecordStatus.Passed, 0);
        var newer = Facts("k1", RecordStatus.Passed, 5) with { Image = "127.0.0.1:5000/factory/llm@sha256:" + new string('e', 64) };
        var answer = ResolvePolicy.Decide(Expected, [older, newer, Facts("k1", RecordStatus.Passed, 9, platform: "linux/arm64")]);
        Assert.True(answer.Passed);
        Assert.Equal(("sha256:" + new string('e', 64), newer.BuildId), (answer.Digest, answer.Record!.BuildId));
        Assert.False(answer.Flaky);
    }

    [Theory]
    [InlineData("only_failing")]
    [InlineData("quarantined")]
    [InlineData("stale_base")]
    [InlineData("stale_test_suite")]
    [InlineData("no_record")]
    public void When_nothing_passes_the_reason_is_given(string reason)
    {
        RecordFacts[] records = reason switch
        {
            ResolveReason.OnlyFailing => [Facts("k1", RecordStatus.Failed, 0, reason: FailureReason.BuildFailed)],
            ResolveReason.Quarantined => [Facts("k1", RecordStatus.Passed, 0, suite: "old"), Facts("k1", RecordStatus.Failed, 5, image: Quarantine)],
            ResolveReason.StaleBase => [Facts("k0", RecordStatus.Passed, 0, baseDigest: BaseB)],
            ResolveReason.StaleTestSuite => [Facts("k1", RecordStatus.Passed, 0, suite: "old")],
            _ => [Facts("k7", RecordStatus.Passed, 0, numerics: "2.0.0")],
        };
        var answer = ResolvePolicy.Decide(Expected, records);
        Assert.False(answer.Passed);
        Assert.Equal(reason, answer.Reason);
        Assert.Null(answer.Digest);
        Assert.False(string.IsNullOrWhiteSpace(answer.Detail));
    }
}
