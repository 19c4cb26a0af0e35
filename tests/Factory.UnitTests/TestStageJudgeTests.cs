using Factory.Contracts.Manifests;
using Factory.Contracts.Records;
using Factory.Executor.Engine;
using Factory.Executor.Stages;

namespace Factory.UnitTests;

/// <summary>TestStage.Judge and StdoutMatches: when a test run passes, and the reason when it does not.</summary>
public sealed class TestStageJudgeTests
{
    private static TestCase Test(int exitCode = 0, string? stdout = null) => new()
    {
        Name = "t", Run = ["sh", "-c", "true"], Expect = new TestExpectation { ExitCode = exitCode, Stdout = stdout }, Timeout = TimeSpan.FromSeconds(30),
    };

    private static ContainerRunOutcome Ran(int exitCode = 0, string stdout = "", string stderr = "", bool timedOut = false) =>
        new(exitCode, stdout, stderr, timedOut, TimeSpan.FromMilliseconds(1234));

    [Fact]
    public void A_run_with_the_expected_exit_code_and_no_stdout_expectation_passes()
    {
        var result = TestStage.Judge(Test(), Ran(stdout: "anything"));
        Assert.Equal((RecordStatus.Passed, (string?)null, 0, false, 1234L), (result.Status, result.Reason, result.ExitCode, result.TimedOut, result.DurationMs));
        Assert.Equal("t", result.Name);
    }

    [Fact]
    public void An_unexpected_exit_code_fails_with_both_codes_in_the_reason()
    {
        var result = TestStage.Judge(Test(), Ran(exitCode: 1, stdout: "ok"));
        Assert.Equal((RecordStatus.Failed, "exit code 1, expected 0", 1), (result.Status, result.Reason, result.ExitCode));
    }

    [Fact]
    public void An_expected_non_zero_exit_code_passes()
    {
        Assert.Equal(RecordStatus.Passed, TestStage.Judge(Test(exitCode: 3), Ran(exitCode: 3)).Status);
    }

    [Fact]
    public void Stdout_containing_the_expected_substring_passes()
    {
        Assert.Equal(RecordStatus.Passed, TestStage.Judge(Test(stdout: "hardened=1"), Ran(stdout: "a=0\nhardened=1\n")).Status);
    }

    [Fact]
    public void Stdout_missing_the_expected_substring_fails_and_quotes_it()
    {
        var result = TestStage.Judge(Test(stdout: "hello"), Ran(stdout: "Hello\n"));
        Assert.Equal((RecordStatus.Failed, "stdout does not contain \"hello\""), (result.Status, result.Reason));
    }

    [Fact]
    public void A_regular_expression_between_slashes_is_matched_per_line()
    {
        var test = Test(stdout: @"/^core \d+\.\d+\.\d+ on (x86_64|aarch64)$/");
        Assert.Equal(RecordStatus.Passed, TestStage.Judge(test, Ran(stdout: "starting\ncore 1.0.0 on aarch64\n")).Status);
        var failed = TestStage.Judge(test, Ran(stdout: "core 1.0 on aarch64\n"));
        Assert.Equal((RecordStatus.Failed, @"stdout does not match /^core \d+\.\d+\.\d+ on (x86_64|aarch64)$/"), (failed.Status, failed.Reason));
    }

    [Fact]
    public void A_timeout_fails_without_an_exit_code_whatever_the_output()
    {
        var result = TestStage.Judge(Test(stdout: "ok"), Ran(exitCode: 0, stdout: "ok", timedOut: true));
        Assert.Equal((RecordStatus.Failed, "timed out after 30s", (int?)null, true), (result.Status, result.Reason, result.ExitCode, result.TimedOut));
    }

    [Fact]
    public void The_exit_code_is_judged_before_stdout()
    {
        Assert.Equal("exit code 2, expected 0", TestStage.Judge(Test(stdout: "ok"), Ran(exitCode: 2, stdout: "nope")).Reason);
    }

    [Fact]
    public void The_output_tail_keeps_the_last_2000_characters_of_stdout_then_stderr_after_a_line_saying_how_much_it_leaves_out()
    {
        var result = TestStage.Judge(Test(), Ran(stdout: new string('o', 3000), stderr: "END"));
        Assert.Equal("[… 1003 bytes cut …]\n" + new string('o', 1997) + "END", result.OutputTail);
    }

    [Theory]
    [InlineData("/", "a/b", true)]          // a lone slash is a substring, not an empty regex
    [InlineData("//", "anything", true)]    // an empty regex matches everything
    [InlineData("/^x$/", "a\nx\nb", true)]
    [InlineData("/^x$/", "ax", false)]
    [InlineData("(3, 11)", "(3, 11)\n", true)]
    [InlineData("/^(3, 11)$/", "(3, 11)\n", false)] // as a regex the parentheses group
    public void Stdout_matching_follows_the_slash_convention(string expected, string stdout, bool matches) =>
        Assert.Equal(matches, TestStage.StdoutMatches(expected, stdout));
}
