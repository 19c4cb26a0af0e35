using Factory.Cli.Output;
using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using Factory.UnitTests.Support;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests;

/// <summary>`records show` without --json: what a person needs first, then the details.</summary>
public sealed class RecordTextTests
{
    [Fact]
    public void A_failed_build_shows_status_reason_failed_step_with_module_and_owner_then_why_tests_log_tail_and_evidence()
    {
        var numerics = Module("numerics", "1.1.0");
        var record = SampleRecords.Make(status: RecordStatus.Failed, reason: FailureReason.BuildFailed, modules: [Module("python", "3.11"), numerics]) with
        {
            LogTail = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"line {i}")),
            Evidence = [new EvidenceRef(EvidenceKind.BuildLog, "local:sha256/" + new string('f', 64), "sha256:" + new string('f', 64), 1234)],
        };
        var explanation = new RecordExplanation(
            new BuildExplanation(BuildExplanation.Rebuilt, "rebuilt because module numerics 1.0.0 → 1.1.0", Guid.NewGuid(), []),
            new FailedStep("build", "RUN pip install numpy==9.9", numerics));
        var text = new StringWriter();

        RecordText.Write(text, record, explanation);

        var lines = text.ToString().Split('\n');
        Assert.StartsWith("FAILED (build_failed)  app on linux/amd64", lines[0]);
        Assert.Equal("failed step: build in module numerics 1.1.0 (slot numerics), owner @numerics-dev (team-numerics)", lines[1]);
        Assert.Equal("  RUN pip install numpy==9.9", lines[2]);
        Assert.Equal("why: rebuilt because module numerics 1.0.0 → 1.1.0", lines[3]);
        Assert.Contains("tests: none ran", lines);
        Assert.Contains("  | line 30", lines);
        Assert.Contains("  | line 11", lines);
        Assert.DoesNotContain("  | line 10", lines);
        Assert.Contains(lines, l => l.StartsWith("  build_log        local:sha256/ffff", StringComparison.Ordinal) && l.Contains("1234 bytes"));
    }
}
