using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

public sealed class CellHistoryTests
{
    private static readonly DateTimeOffset Now = Support.SampleRecords.T0.AddDays(1);
    private static readonly CellId Cell = new("llm", "numerics=1.0.0,python=3.11", "linux/amd64");

    [Fact]
    public void First_failed_and_first_fixed_name_the_input_change_that_explains_them()
    {
        var passed = Facts("k1", RecordStatus.Passed, 0);
        var broke = Facts("k2", RecordStatus.Failed, 10, baseDigest: BaseB);
        var still = Facts("k2", RecordStatus.Failed, 20, baseDigest: BaseB);
        var fixedBySuite = Facts("k2", RecordStatus.Passed, 30, baseDigest: BaseB, suite: "suite2");
        var otherCell = Facts("k9", RecordStatus.Failed, 5, numerics: "1.1.0");

        var history = CellHistory.Of(Cell, [fixedBySuite, otherCell, still, passed, broke], Now, TimeSpan.FromDays(14));

        Assert.Equal([fixedBySuite.BuildId, still.BuildId, broke.BuildId, passed.BuildId], history.Records.Select(r => r.BuildId));
        Assert.Equal(broke.BuildId, history.FirstFailed!.BuildId);
        Assert.Equal(passed.BuildId, history.FirstFailed.PreviousBuildId);
        Assert.Equal(InputChanges.BaseDigest, Assert.Single(history.FirstFailed.Changes).Kind);
        Assert.StartsWith("failed when base digest sha256:aaaaaaaaaaaa → sha256:bbbbbbbbbbbb", history.FirstFailed.Explanation);
        Assert.Equal(fixedBySuite.BuildId, history.FirstFixed!.BuildId);
        Assert.Equal(InputChanges.TestSuite, Assert.Single(history.FirstFixed.Changes).Kind);
        Assert.True(history.Records[1].Rerun);
        Assert.False(history.Records[2].Rerun);
        Assert.False(history.Flakiness.Flaky);
    }

    [Fact]
    public void A_cell_failing_now_has_no_first_fixed_and_a_flip_without_an_input_change_is_called_a_flake()
    {
        var records = new[] { Facts("k1", RecordStatus.Passed, 0), Facts("k1", RecordStatus.Failed, 1) };
        var history = CellHistory.Of(Cell, records, Now, TimeSpan.FromDays(14));
        Assert.Null(history.FirstFixed);
        Assert.Empty(history.FirstFailed!.Changes);
        Assert.Contains("not an input change", history.FirstFailed.Explanation);
        Assert.True(history.Flakiness.Flaky);
    }

    [Fact]
    public void A_cell_that_never_failed_has_neither()
    {
        var history = CellHistory.Of(Cell, [Facts("k1", RecordStatus.Passed, 0), Facts("k1", RecordStatus.Expired, 1)], Now, TimeSpan.FromDays(14));
        Assert.Null(history.FirstFailed);
        Assert.Null(history.FirstFixed);
        Assert.Equal(2, history.Records.Count);
    }
}
