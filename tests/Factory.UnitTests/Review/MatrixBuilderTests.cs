using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

public sealed class MatrixBuilderTests
{
    private static readonly DateTimeOffset Now = Support.SampleRecords.T0.AddDays(1);
    private static readonly TimeSpan Window = TimeSpan.FromDays(14);

    [Fact]
    public void Rows_are_module_combinations_columns_platforms_and_a_cell_shows_its_newest_result_and_strip()
    {
        var records = new[]
        {
            Facts("a1", RecordStatus.Passed, 0),
            Facts("a1", RecordStatus.Passed, 5),
            Facts("b1", RecordStatus.Failed, 1, numerics: "1.1.0", reason: FailureReason.BuildFailed),
            Facts("c1", RecordStatus.Passed, 2, platform: "linux/arm64"),
            Facts("x1", RecordStatus.Passed, 3, manifest: "other"),
        };

        var matrix = MatrixBuilder.Build("llm", records, Now, strip: 1, Window, MatrixFilter.None);

        Assert.Equal(["linux/amd64", "linux/arm64"], matrix.Platforms);
        Assert.Equal(["numerics=1.0.0,python=3.11", "numerics=1.1.0,python=3.11"], matrix.Rows.Select(r => r.Modules));
        Assert.Equal(4, matrix.Records);
        var first = matrix.Rows[0].Cells["linux/amd64"];
        Assert.Equal((CellState.Passed, records[1].BuildId), (first.State, first.BuildId));
        Assert.Equal([records[1].BuildId], first.Strip.Select(s => s.BuildId));
        var failed = matrix.Rows[1].Cells["linux/amd64"];
        Assert.Equal((CellState.Failed, FailureReason.BuildFailed), (failed.State, failed.Reason));
        Assert.False(matrix.Rows[1].Cells.ContainsKey("linux/arm64"));
    }

    [Fact]
    public void A_flaky_cell_and_a_quarantined_cell_are_shown_as_such()
    {
        var records = new[]
        {
            Facts("a1", RecordStatus.Passed, 0), Facts("a1", RecordStatus.Failed, 1),
            Facts("b1", RecordStatus.Failed, 2, numerics: "1.1.0", image: "127.0.0.1:5000/factory-candidates/llm@sha256:" + new string('d', 64)),
        };
        var matrix = MatrixBuilder.Build("llm", records, Now, 10, Window, MatrixFilter.None);
        Assert.Equal(CellState.Flaky, matrix.Rows[0].Cells["linux/amd64"].State);
        Assert.Equal(0.5, matrix.Rows[0].Cells["linux/amd64"].Flakiness.Rate);
        Assert.Equal(CellState.Quarantined, matrix.Rows[1].Cells["linux/amd64"].State);
        Assert.Equal(1, matrix.Counts[CellState.Flaky]);
    }

    [Fact]
    public void Filters_narrow_rows_columns_and_states_and_hide_flaky_cells()
    {
        var records = new[]
        {
            Facts("a1", RecordStatus.Passed, 0), Facts("a1", RecordStatus.Failed, 1),
            Facts("b1", RecordStatus.Failed, 2, numerics: "1.1.0"),
            Facts("c1", RecordStatus.Passed, 3, numerics: "1.1.0", platform: "linux/arm64"),
        };
        Assert.Equal(["numerics=1.1.0,python=3.11"],
            MatrixBuilder.Build("llm", records, Now, 10, Window, new MatrixFilter(Modules: new Dictionary<string, string> { ["numerics"] = "1.1.0" })).Rows.Select(r => r.Modules));
        var arm = MatrixBuilder.Build("llm", records, Now, 10, Window, new MatrixFilter(Platform: "linux/arm64"));
        Assert.Equal(["linux/arm64"], arm.Platforms);
        Assert.Single(arm.Rows);
        var failing = MatrixBuilder.Build("llm", records, Now, 10, Window, new MatrixFilter(State: CellState.Failed));
        Assert.Equal(["numerics=1.1.0,python=3.11"], failing.Rows.Select(r => r.Modules));
        Assert.Equal(["linux/amd64"], failing.Rows[0].Cells.Keys);
        var steady = MatrixBuilder.Build("llm", records, Now, 10, Window, new MatrixFilter(HideFlaky: true));
        Assert.Equal(["numerics=1.1.0,python=3.11"], steady.Rows.Select(r => r.Modules));
    }

    [Fact]
    public void Ten_thousand_records_make_a_matrix_with_every_record_in_its_cell()
    {
        var records = Enumerable.Range(0, 10_000)
            .Select(i => Facts($"k{i % 2500}", i % 7 == 0 ? RecordStatus.Failed : RecordStatus.Passed, i, numerics: $"1.{i % 1250}.0",
                platform: i % 2 == 0 ? "linux/amd64" : "linux/arm64"))
            .ToList();
        var matrix = MatrixBuilder.Build("llm", records, Now, 10, Window, MatrixFilter.None);
        Assert.Equal(1250, matrix.Rows.Count);
        Assert.Equal(10_000, matrix.Rows.Sum(r => r.Cells.Values.Sum(c => c.Strip.Count)));
    }
}
