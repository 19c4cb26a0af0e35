using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>ProcessRunner's input: written to the program's stdin while its output is read; a program that stops reading early is judged by its exit code.</summary>
public sealed class ProcessRunnerInputTests
{
    [Fact]
    public async Task The_input_reaches_the_program_whole()
    {
        var input = Enumerable.Range(0, 300_000).Select(i => (byte)('a' + i % 26)).ToArray();
        var result = await ProcessRunner.RunAsync("sh", ["-c", "wc -c"], timeout: TimeSpan.FromSeconds(30), input: stdin => stdin.Write(input));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("300000", result.Stdout.Trim());
    }

    [Fact]
    public async Task A_program_that_exits_without_reading_its_input_is_judged_by_its_exit_code()
    {
        var input = new byte[8 * 1024 * 1024];
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo refused >&2; exit 3"], timeout: TimeSpan.FromSeconds(30), input: stdin => stdin.Write(input));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("refused", result.Stderr);
    }

    [Fact]
    public async Task Without_input_stdin_is_closed_at_once()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "cat; echo done"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(("done", false), (result.Stdout.Trim(), result.TimedOut));
    }
}
