using Factory.Cli.Output;

namespace Factory.UnitTests;

/// <summary>The exit code `run` and `submit --wait` end with.</summary>
public sealed class RunReportTests
{
    private static RunReport Report(params string[] statuses) => new("p",
        statuses.Select(s => new RunReportItem("k", "app", "linux/amd64", "amd64", new Dictionary<string, string>(), s, null, Guid.NewGuid(), null, [])).ToList(),
        new RunSummary(statuses.Length, 0, statuses.Count(s => s == "reused"), statuses.Count(s => s == "passed"), 0, 0, 0));

    [Fact]
    public void A_cancelled_plan_passes_no_gate()
    {
        Assert.Equal(0, Report("passed", "reused").ExitCode);
        Assert.Equal(1, Report("passed", "cancelled").ExitCode);
    }
}
