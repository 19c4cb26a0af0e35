using System.Text;
using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;

namespace Factory.Executor.Stages;

/// <summary>
/// Runs the suite against the built image in a <see cref="TestSession"/>: no network, memory and pids limits, each
/// test's own timeout. A test passes when its exit code and stdout are as expected.
/// </summary>
public sealed class TestStage(IContainerEngine engine)
{
    public Task<TestSession> OpenAsync(WorkItem item, string image, string imageName, Delivery delivery, CancellationToken ct) =>
        TestSession.OpenAsync(engine, item, image, imageName, delivery, ct);

    public async Task<IReadOnlyList<TestRun>> RunAsync(WorkItem item, TestSession session, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("test");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var runs = new List<TestRun>();
        foreach (var test in item.Tests)
        {
            var (outcome, where) = await session.RunAsync(test, ct);
            runs.Add(new TestRun(Judge(test, outcome), LogOf(test, session, where, outcome)));
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
            OutputTail = OutputExcerpt.Last(outcome.Stdout + outcome.Stderr, 2000),
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

    private static byte[] LogOf(TestCase test, TestSession session, string where, ContainerRunOutcome outcome)
    {
        var log = new StringBuilder()
            .Append("image: ").Append(session.ImageName).Append('\n')
            .Append("container: ").Append(where).Append('\n');
        if (session.ContainerPerTestReason is { } reason) log.Append("note: ").Append(reason).Append('\n');
        log.Append("command: ").Append(System.Text.Json.JsonSerializer.Serialize(test.Run)).Append('\n')
            .Append("--- stdout ---\n").Append(Line(outcome.Stdout))
            .Append("--- stderr ---\n").Append(Line(outcome.Stderr))
            .Append("--- result ---\n")
            .Append(outcome.TimedOut ? $"timed out after {test.Timeout.TotalSeconds:0}s" : $"exit code {outcome.ExitCode}")
            .Append($" in {outcome.Duration.TotalMilliseconds:0} ms\n");
        return Encoding.UTF8.GetBytes(log.ToString());
    }

    private static string Line(string text) => text.Length == 0 || text[^1] == '\n' ? text : text + "\n";
}
