using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

public sealed class MatrixComparisonTests
{
    [Fact]
    public void Cells_land_in_newly_failing_newly_passing_still_failing_new_and_removed()
    {
        var before = new[]
        {
            Facts("a", RecordStatus.Passed, 0, numerics: "1.0.0"),
            Facts("b", RecordStatus.Failed, 0, numerics: "1.1.0"),
            Facts("c", RecordStatus.Failed, 0, numerics: "1.2.0"),
            Facts("d", RecordStatus.Passed, 0, numerics: "1.3.0"),
            Facts("e", RecordStatus.Passed, 0, numerics: "1.4.0"),
        };
        var after = new[]
        {
            Facts("a2", RecordStatus.Failed, 10, numerics: "1.0.0", baseDigest: BaseB),
            Facts("b", RecordStatus.Passed, 10, numerics: "1.1.0"),
            Facts("c", RecordStatus.Failed, 10, numerics: "1.2.0"),
            Facts("e", RecordStatus.Passed, 10, numerics: "1.4.0"),
            Facts("f", RecordStatus.Passed, 10, numerics: "2.0.0"),
            Facts("g", RecordStatus.Expired, 11, numerics: "1.4.0"),
        };

        var comparison = MatrixComparison.Compare("llm", "before", before, "now", after);

        Assert.Equal("numerics=1.0.0,python=3.11", Assert.Single(comparison.NewlyFailing).Modules);
        Assert.Equal(InputChanges.BaseDigest, Assert.Single(comparison.NewlyFailing[0].Changes).Kind);
        Assert.Equal("numerics=1.1.0,python=3.11", Assert.Single(comparison.NewlyPassing).Modules);
        Assert.Equal("numerics=1.2.0,python=3.11", Assert.Single(comparison.StillFailing).Modules);
        Assert.Equal("numerics=2.0.0,python=3.11", Assert.Single(comparison.New).Modules);
        Assert.Equal("numerics=1.3.0,python=3.11", Assert.Single(comparison.Removed).Modules);
        Assert.Equal(1, comparison.Unchanged);
    }
}
