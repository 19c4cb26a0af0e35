using System.Text;
using Factory.Contracts.Manifests;
using Factory.Contracts.Records;
using Factory.Executor.Engine;
using Factory.Executor.Stages;

namespace Factory.UnitTests;

/// <summary>OutputCapture and OutputExcerpt: what is kept of huge output, what is cut, and that the cut is said.</summary>
public sealed class OutputCaptureTests
{
    private static OutputCapture Captured(OutputLimits limits, params string[] writes)
    {
        var capture = new OutputCapture(limits);
        foreach (var write in writes) capture.Write(Encoding.UTF8.GetBytes(write));
        return capture;
    }

    [Fact]
    public void Output_within_the_limits_is_kept_whole_without_a_marker()
    {
        var capture = Captured(new OutputLimits(8, 8), "line 1\n", "line 2\n", "x");
        Assert.Equal("line 1\nline 2\nx", capture.Text());
        Assert.Equal((15L, 0L), (capture.TotalBytes, capture.CutBytes));
    }

    [Fact]
    public void Huge_line_output_keeps_whole_lines_from_the_head_and_the_tail_and_says_how_many_bytes_were_cut()
    {
        var lines = Enumerable.Range(1, 100_000).Select(i => $"line {i}\n").ToArray();
        var capture = Captured(new OutputLimits(1000, 1000), lines);

        var text = capture.Text();
        var kept = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line 1", kept[0]);
        Assert.Equal("line 100000", kept[^1]);
        var marker = Assert.Single(kept, l => l.StartsWith("[… ", StringComparison.Ordinal));
        Assert.Equal(OutputCapture.Marker(capture.CutBytes), marker);
        // Every byte is either shown or counted as cut; the head and the tail are whole lines.
        var shown = text.Replace(marker + "\n", "", StringComparison.Ordinal);
        Assert.Equal(capture.TotalBytes, Encoding.UTF8.GetByteCount(shown) + capture.CutBytes);
        Assert.All(kept.Where(l => l != marker), l => Assert.Matches(@"^line \d+$", l));
        Assert.InRange(Encoding.UTF8.GetByteCount(shown), 1800, 2000);
    }

    [Fact]
    public void One_endless_line_does_not_bypass_the_limits()
    {
        var capture = new OutputCapture(new OutputLimits(4096, 4096));
        var chunk = Encoding.UTF8.GetBytes(new string('a', 65536));
        for (var i = 0; i < 1000; i++) capture.Write(chunk);
        capture.Write("verdict: ok"u8);

        var text = capture.Text();
        Assert.EndsWith("verdict: ok", text);
        Assert.Equal(65_536_000L + 11, capture.TotalBytes);
        Assert.Contains($"\n{OutputCapture.Marker(65_536_000L + 11 - 8192)}\n", text);
        Assert.InRange(text.Length, 8192, 8192 + 64);
    }

    [Fact]
    public void A_cut_mid_line_never_splits_a_character()
    {
        // "é" is two bytes: a byte limit falls inside one at each end.
        var capture = Captured(new OutputLimits(5, 5), new string('é', 1000));
        var text = capture.Text();
        Assert.DoesNotContain('\uFFFD', text);
        Assert.Matches(@"^é+\n\[… \d+ bytes cut …\]\né+$", text);
        Assert.Equal(2000L, Encoding.UTF8.GetByteCount(text.Replace(OutputCapture.Marker(capture.CutBytes) + "\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)) + capture.CutBytes);
    }

    [Fact]
    public void A_write_larger_than_the_tail_keeps_its_end()
    {
        var capture = Captured(new OutputLimits(3, 4), "abc", "0123456789\n", "xy");
        Assert.Equal("abc\n[… 11 bytes cut …]\nxy", capture.Text());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reading_the_text_while_output_still_comes_changes_nothing_that_is_kept(int seed)
    {
        // Chunks of every size around the ring's, with the text read at random moments: each read turns the ring in
        // place, and the writes after it must go on from there. What is kept is checked against the bytes written.
        var random = new Random(seed);
        var limits = new OutputLimits(40, 64);
        var capture = new OutputCapture(limits);
        var written = new List<byte>();
        for (var i = 0; i < 400; i++)
        {
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, random.Next(0, 150))
                .Select(_ => random.Next(12) == 0 ? '\n' : (char)('a' + random.Next(26)))));
            capture.Write(chunk);
            written.AddRange(chunk);
            if (random.Next(4) == 0) AssertKept(capture.Text(), [.. written], limits);
        }
        AssertKept(capture.Text(), [.. written], limits);
        Assert.Equal(written.Count, capture.TotalBytes);
    }

    /// <summary>The text is a start of what was written, the marker with the bytes cut, then an end of it (or all of it, uncut).</summary>
    private static void AssertKept(string text, byte[] written, OutputLimits limits)
    {
        var all = Encoding.ASCII.GetString(written);
        var marker = System.Text.RegularExpressions.Regex.Match(text, @"\[… (\d+) bytes cut …\]\n");
        if (!marker.Success)
        {
            Assert.Equal(all, text);
            return;
        }
        // A head with no line in it is cut at the limit, and a line end is put after it before the marker.
        var prefix = text[..marker.Index];
        var head = prefix.Length > limits.HeadBytes ? prefix[..^1] : prefix;
        var tail = text[(marker.Index + marker.Length)..];
        Assert.StartsWith(head, all, StringComparison.Ordinal);
        Assert.EndsWith(tail, all, StringComparison.Ordinal);
        Assert.InRange(head.Length, 0, limits.HeadBytes);
        Assert.InRange(tail.Length, 0, limits.TailBytes);
        Assert.Equal(all.Length, head.Length + long.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + tail.Length);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(50, 0)]
    [InlineData(3, 50)]
    [InlineData(50, 3)]
    [InlineData(50, 50)]
    public void The_log_tail_excerpt_of_stdout_then_stderr_is_that_of_the_two_joined(int outLines, int errLines)
    {
        // Each stream as its capture gives it: its own cut marker once it is long, characters of 2 and 4 bytes in it.
        var stdout = Captured(new OutputLimits(30, 30), [.. Enumerable.Range(1, outLines).Select(i => $"out é {i}\n")]).Text();
        var stderr = Captured(new OutputLimits(30, 30), [.. Enumerable.Range(1, errLines).Select(i => $"err 😀 {i}\n"), "no line end"]).Text();
        foreach (var chars in new[] { 5, 10, 25, 40, 80, 200 })
            Assert.Equal(OutputExcerpt.Last(stdout + stderr, chars), OutputExcerpt.Last(stdout, stderr, chars));
    }

    [Fact]
    public void The_log_tail_excerpt_says_how_much_of_the_output_it_does_not_show_cuts_at_capture_included()
    {
        var capture = Captured(new OutputLimits(100, 100), [.. Enumerable.Range(1, 1000).Select(i => $"line {i}\n")]);
        var excerpt = OutputExcerpt.Last(capture.Text(), 50);

        var lines = excerpt.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\[… \d+ bytes cut …\]$", lines[0]);
        Assert.Equal("line 1000", lines[^1]);
        var shown = Encoding.UTF8.GetByteCount(excerpt[(lines[0].Length + 1)..]);
        Assert.Equal(OutputCapture.Marker(capture.TotalBytes - shown), lines[0]);
        Assert.Equal("short", OutputExcerpt.Last("short", 50));
    }

    [Theory]
    [InlineData(99_996)]
    [InlineData(1_000_000)]
    [InlineData(1_500_001)]
    public void A_stdout_pattern_finds_its_match_wherever_it_falls_in_a_long_output(int at)
    {
        var stdout = new string('x', at - 1) + "\nverdict: 3 ok\n" + new string('y', 1000);
        Assert.True(TestStage.StdoutMatches("/^verdict: \\d+ ok$/", stdout));
        Assert.True(TestStage.StdoutMatches("/verdict/", stdout));
        Assert.False(TestStage.StdoutMatches("/^verdict: \\d+ failed$/", stdout));
    }

    [Fact]
    public void A_verdict_printed_after_200_MB_is_seen_by_the_stdout_expectation_and_the_log_tail()
    {
        var capture = new OutputCapture(OutputLimits.Default);
        var noise = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("noise noise noise noise noise noise noise\n", 1600)));
        for (long written = 0; written < 200L * 1024 * 1024; written += noise.Length) capture.Write(noise);
        capture.Write("verdict: all 3 checks passed\n"u8);
        var test = new TestCase
        {
            Name = "loud", Run = ["sh"], Expect = new TestExpectation { ExitCode = 0, Stdout = "/^verdict: all \\d+ checks passed$/" }, Timeout = TimeSpan.FromMinutes(1),
        };

        var result = TestStage.Judge(test, new ContainerRunOutcome(0, capture.Text(), "", false, TimeSpan.FromSeconds(1)));

        Assert.True(result.Status == RecordStatus.Passed, result.Reason);
        Assert.EndsWith("verdict: all 3 checks passed\n", result.OutputTail);
        Assert.Matches(@"^\[… \d+ bytes cut …\]\n", result.OutputTail);
    }
}
