using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using Factory.UnitTests.Support;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

public sealed class FailedStepTests
{
    private const string Dockerfile = """
        FROM 127.0.0.1:5000/base/debian@sha256:aa
        # slot python: module python 3.11 (sha256:11), owner @python-dev (team-python)
        RUN apt-get install -y python3
        # slot numerics: module numerics 1.1.0 (sha256:22), owner @numerics-dev (team-numerics)
        RUN pip install numpy==9.9
        LABEL org.opencontainers.image.title=llm
        """;

    private const string BuildLog = """
        #7 [3/4] RUN pip install numpy==9.9
        #7 ERROR: process "/bin/sh -c pip install numpy==9.9" did not complete successfully: exit code: 1
        ------
         > [3/4] RUN pip install numpy==9.9:
        ------
        Dockerfile:5
        """;

    private static CompatibilityRecord Failed(string reason, string? log = null) =>
        SampleRecords.Make(status: RecordStatus.Failed, reason: reason, modules: [Module("python", "3.11"), Module("numerics", "1.1.0")]) with { LogTail = log };

    [Fact]
    public void A_failed_build_names_the_instruction_and_the_module_whose_fragment_holds_it_with_its_owner()
    {
        var step = FailedStep.Locate(Failed(FailureReason.BuildFailed, BuildLog), Dockerfile)!;
        Assert.Equal("build", step.Stage);
        Assert.Equal("RUN pip install numpy==9.9", step.Detail);
        Assert.Equal("numerics", step.Module!.Slot);
        Assert.Equal("@numerics-dev", step.Module.Owner!.Handle);
    }

    [Fact]
    public void Without_the_dockerfile_the_slot_comment_buildkit_quotes_in_the_log_is_used()
    {
        var log = BuildLog + "\n   3 |     # slot python: module python 3.11\n   4 | >>> RUN apt-get install -y python3\n";
        Assert.Equal("python", FailedStep.Locate(Failed(FailureReason.BuildFailed, log), null)!.Module!.Slot);
    }

    [Fact]
    public void A_test_failure_names_the_failed_tests_and_a_pass_has_no_failed_step()
    {
        var record = Failed(FailureReason.TestFailed) with
        {
            Tests = [new TestResult { Name = "imports", Status = RecordStatus.Failed, Reason = "exit code 1, expected 0" }, new TestResult { Name = "runs", Status = RecordStatus.Passed }],
        };
        var step = FailedStep.Locate(record, null)!;
        Assert.Equal(("test", "test suite basic: imports: exit code 1, expected 0"), (step.Stage, step.Detail));
        Assert.Null(FailedStep.Locate(SampleRecords.Make(), null));
    }
}
