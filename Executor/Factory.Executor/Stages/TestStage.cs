using System.Text;
using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// Runs the suite against the built image in a <see cref="TestSession"/>: no network, memory and pids limits, each
/// test's own timeout. A test passes when its exit code and stdout are as expected. While a test runs its whole output
/// streams to disk (<see cref="TestOutputSpools"/>); when the kept head and tail left some of it out, that full log is
/// the test's <see cref="TestRun.FullLog"/>.
/// </summary>
public sealed class TestStage(IContainerEngine engine, ExecutorOptions options)
{
    public Task<TestSession> OpenAsync(WorkItem item, string image, string imageName, Delivery delivery, CancellationToken ct) =>
        TestSession.OpenAsync(engine, item, image, imageName, delivery, ct);

    public async Task<IReadOnlyList<TestRun>> RunAsync(WorkItem item, TestSession session, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("test");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var runs = new List<TestRun>();
        var directory = Path.Combine(session.Delivery.WorkDirectory(options.StateDirectory), "output");
        for (var i = 0; i < item.Tests.Count; i++)
        {
            var test = item.Tests[i];
            using var spools = new TestOutputSpools(directory, $"test{i + 1}", options.FullOutputMaxBytes, options.OutputLimits.TailBytes);
            var (outcome, where) = await session.RunAsync(test, ct, spools);
            var (header, footer) = LogFrame(test, session, where, outcome);
            var log = Utf8(header, "--- stdout ---\n", outcome.Stdout, LineEnd(outcome.Stdout), "--- stderr ---\n", outcome.Stderr, LineEnd(outcome.Stderr), footer);
            var full = Cut(spools.Stdout) || Cut(spools.Stderr) ? spools.Compose(header, footer) : null;
            runs.Add(new TestRun(Judge(test, outcome), log, full));
        }
        activity?.SetTag("factory.tests.failed", runs.Count(r => r.Result.Status != RecordStatus.Passed));
        ExecutorMetrics.TestDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, ExecutorMetrics.Pool(item.Pool));
        return runs;
    }

    public static TestResult Judge(TestCase test, ContainerRunOutcome outcome)
    {
        string? reason = null;
        if (outcome.TimedOut) reason = $"timed out after {test.Timeout.TotalSeconds:0}s";
        else if (outcome.ExitCode != test.Expect.ExitCode) reason = $"exit code {outcome.ExitCode}, expected {test.Expect.ExitCode}";
        else if (test.Expect.Stdout is { } expected)
        {
            try
            {
                if (!StdoutMatches(expected, outcome.Stdout))
                    reason = TestExpectation.RegexOf(expected) is not null
                        ? $"stdout does not match {expected}"
                        : $"stdout does not contain \"{expected}\"";
            }
            catch (RegexMatchTimeoutException)
            {
                // The expectation is the test author's: a pattern too costly to match fails the test, it is not retried.
                reason = $"stdout could not be matched against {expected} within {MatchTimeout.TotalSeconds:0}s: the pattern is too costly for this output";
            }
        }
        return new TestResult
        {
            Name = test.Name,
            Status = reason is null ? RecordStatus.Passed : RecordStatus.Failed,
            ExitCode = outcome.TimedOut ? null : outcome.ExitCode,
            TimedOut = outcome.TimedOut,
            DurationMs = (long)outcome.Duration.TotalMilliseconds,
            Reason = reason,
            OutputTail = OutputExcerpt.Last(outcome.Stdout, outcome.Stderr, 2000),
        };
    }

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Without backtracking, linear in the output (validation refuses patterns that need it); the timeout is a last bound.
    /// stdout is what the capture kept (<see cref="ExecutorOptions.OutputHeadBytes"/> from the start, as many from the end,
    /// and the marker line between): a verdict printed at the end is always seen.
    /// </summary>
    public static bool StdoutMatches(string expected, string stdout)
    {
        if (TestExpectation.RegexOf(expected) is not { } pattern) return stdout.Contains(expected, StringComparison.Ordinal);
        // Not the engine's own timeout: with one, NonBacktracking (.NET 10.0.4) misses a match that straddles one of its
        // timeout-check boundaries ("verdict" ending at character 100,003 of the output is not found). The bound is kept
        // on the wall clock instead; the match left running past it is linear in the kept output, so it ends.
        var match = Task.Run(() => Regex.IsMatch(stdout, pattern, RegexOptions.Multiline | RegexOptions.NonBacktracking));
        if (!match.Wait(MatchTimeout)) throw new RegexMatchTimeoutException(stdout.Length > 100 ? stdout[..100] : stdout, pattern, MatchTimeout);
        return match.Result;
    }

    /// <summary>Whether the capture of this stream left something out (it keeps the head and the tail of what it got).</summary>
    private bool Cut(OutputSpool spool) => spool.TotalBytes > (long)options.OutputLimits.HeadBytes + options.OutputLimits.TailBytes;

    /// <summary>What a test's log says before its output (image, container, command) and after it (the result).</summary>
    private static (string Header, string Footer) LogFrame(TestCase test, TestSession session, string where, ContainerRunOutcome outcome)
    {
        var header = new StringBuilder()
            .Append("image: ").Append(session.ImageName).Append('\n')
            .Append("container: ").Append(where).Append('\n');
        if (session.ContainerPerTestReason is { } reason) header.Append("note: ").Append(reason).Append('\n');
        header.Append("command: ").Append(System.Text.Json.JsonSerializer.Serialize(test.Run)).Append('\n');
        var footer = "--- result ---\n"
            + (outcome.TimedOut ? $"timed out after {test.Timeout.TotalSeconds:0}s" : $"exit code {outcome.ExitCode}")
            + $" in {outcome.Duration.TotalMilliseconds:0} ms\n";
        return (header.ToString(), footer);
    }

    /// <summary>What ends the text's last line: nothing when it ends one (or is empty), else a newline.</summary>
    private static string LineEnd(string text) => text.Length == 0 || text[^1] == '\n' ? "" : "\n";

    /// <summary>The parts one after another in UTF-8, in one array: the output in them is not copied into a joined string first.</summary>
    private static byte[] Utf8(params ReadOnlySpan<string> parts)
    {
        var length = 0;
        foreach (var part in parts) length += Encoding.UTF8.GetByteCount(part);
        var bytes = new byte[length];
        var at = 0;
        foreach (var part in parts) at += Encoding.UTF8.GetBytes(part, bytes.AsSpan(at));
        return bytes;
    }
}
