using System.IO.Compression;
using System.Text;
using Factory.Executor.Engine;

namespace Factory.UnitTests;

/// <summary>
/// OutputSpool and TestOutputSpools: a test's whole output goes to a gzip file on disk as it arrives, bounded by a budget
/// the streams share; past it the rest is cut, its tail kept and the cut said; the full log joins both streams.
/// </summary>
public sealed class TestOutputSpoolsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "factory-spools-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static string Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Output_within_the_budget_is_kept_whole_and_the_full_log_has_the_header_both_streams_and_the_result()
    {
        using var spools = new TestOutputSpools(_directory, "test1", 1024 * 1024, 4096);
        for (var i = 0; i < 1000; i++) spools.Stdout.Write(Encoding.UTF8.GetBytes($"line {i}\n"));
        spools.Stderr.Write("oops"u8);

        var path = spools.Compose("image: x\n", "--- result ---\nexit code 1 in 5 ms\n");

        var expected = "image: x\n--- stdout ---\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"line {i}\n"))
            + "--- stderr ---\noops\n--- result ---\nexit code 1 in 5 ms\n";
        Assert.Equal(expected, Gunzip(path));
        Assert.Equal(0, spools.Stdout.CutBytes);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Past_the_budget_the_rest_is_cut_its_last_lines_kept_and_the_marker_says_how_many_bytes_were_dropped()
    {
        using var spools = new TestOutputSpools(_directory, "test1", 100_000, 1000);
        var chunk = Encoding.UTF8.GetBytes(new string('n', 99) + "\n");
        for (var i = 0; i < 5000; i++) spools.Stdout.Write(chunk);
        spools.Stdout.Write("the verdict\n"u8);
        spools.Stderr.Write("error at the end\n"u8);

        var text = Gunzip(spools.Compose("", "--- result ---\n"));

        var stdout = text["--- stdout ---\n".Length..text.IndexOf("--- stderr ---\n", StringComparison.Ordinal)];
        Assert.EndsWith("\nthe verdict\n", stdout);
        var marker = System.Text.RegularExpressions.Regex.Match(stdout, @"\n\[… (\d+) bytes cut …\]\n");
        Assert.True(marker.Success, stdout[^2000..]);
        var shown = Encoding.UTF8.GetByteCount(stdout) - Encoding.UTF8.GetByteCount(marker.Value) + 1;
        Assert.Equal(spools.Stdout.TotalBytes, shown + long.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(spools.Stdout.CutBytes, long.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(shown, 100_000, 101_100);
        // The budget was spent on stdout: stderr is all overflow, shown whole because it fits its tail.
        Assert.EndsWith("--- stderr ---\nerror at the end\n--- result ---\n", text);
    }

    [Fact]
    public void The_kept_tail_of_output_that_is_not_utf8_is_the_bytes_written()
    {
        using var spools = new TestOutputSpools(_directory, "test1", 1000, 64);
        spools.Stdout.Write(Encoding.UTF8.GetBytes(new string('a', 999) + "\n"));
        byte[] binary = [0xFF, 0xFE, 0x80, 0x00, 0xC3, (byte)'\n', 0xE2, 0x82, 0xFF, (byte)'\n'];
        for (var i = 0; i < 100; i++) spools.Stdout.Write(binary);

        var log = GunzipBytes(spools.Compose("", ""));

        var stderr = Encoding.ASCII.GetBytes("--- stderr ---\n");
        Assert.True(log.AsSpan().EndsWith([.. binary, .. stderr]), Convert.ToHexString(log[^80..]));
        Assert.True(spools.Stdout.CutBytes > 0);
    }

    private static byte[] GunzipBytes(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void One_long_line_past_the_budget_is_cut_mid_line_and_the_marker_starts_a_line_of_its_own()
    {
        using var spools = new TestOutputSpools(_directory, "test1", 10_000, 100);
        spools.Stdout.Write(Encoding.UTF8.GetBytes(new string('x', 50_000)));

        var text = Gunzip(spools.Compose("", ""));

        Assert.Contains($"\n[… {50_000 - 10_000 - 100} bytes cut …]\n", text);
        Assert.EndsWith(new string('x', 100) + "\n--- stderr ---\n", text);
    }

    [Fact]
    public void A_capture_with_a_spool_passes_every_byte_on_while_it_keeps_only_its_head_and_tail()
    {
        using var spools = new TestOutputSpools(_directory, "test1", long.MaxValue, 16);
        var capture = new OutputCapture(new OutputLimits(16, 16), spools.Stdout);
        var lines = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i}\n"));

        capture.Write(Encoding.UTF8.GetBytes(lines));

        Assert.True(capture.CutBytes > 0);
        Assert.Equal("--- stdout ---\n" + lines + "--- stderr ---\n", Gunzip(spools.Compose("", "")));
    }

    [Fact]
    public void Disposing_without_composing_removes_the_stream_files()
    {
        var spools = new TestOutputSpools(_directory, "test1", 1024 * 1024, 10);
        spools.Stdout.Write(new byte[OutputSpool.SpillBytes + 1]);
        Assert.True(File.Exists(spools.Stdout.Path), "output past SpillBytes is on disk");

        spools.Dispose();

        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Small_output_makes_no_file_until_it_is_composed_and_is_then_whole()
    {
        using var spools = new TestOutputSpools(_directory, "test1", 1024 * 1024, 10);
        spools.Stdout.Write(new byte[OutputSpool.SpillBytes - 1]);
        spools.Stdout.Write("x"u8);
        spools.Stderr.Write("e\n"u8);
        Assert.False(Directory.Exists(_directory), "nothing on disk for output within SpillBytes");

        var log = Gunzip(spools.Compose("h\n", "--- result ---\n"));

        Assert.Equal("h\n--- stdout ---\n" + new string('\0', OutputSpool.SpillBytes - 1) + "x\n--- stderr ---\ne\n--- result ---\n", log);
    }

    [Fact]
    public void Disposing_spools_that_made_no_file_throws_nothing_even_to_catch()
    {
        var thread = Environment.CurrentManagedThreadId;
        var thrown = new List<string>();
        EventHandler<System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs> seen = (_, e) =>
        {
            if (Environment.CurrentManagedThreadId == thread) lock (thrown) thrown.Add(e.Exception.GetType().Name);
        };
        var spools = new TestOutputSpools(_directory, "test1", 1024 * 1024, 10);
        spools.Stdout.Write("a little\n"u8);
        AppDomain.CurrentDomain.FirstChanceException += seen;
        try
        {
            spools.Dispose();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= seen;
        }

        Assert.False(spools.Stdout.OnDisk);
        Assert.Empty(thrown);
        Assert.False(Directory.Exists(_directory), "nothing made on disk");
    }

    [Fact]
    public void Output_that_spills_keeps_what_was_held_before_it_in_order()
    {
        using var spools = new TestOutputSpools(_directory, "test1", 1024 * 1024, 10);
        var lines = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i}\n"));
        foreach (var line in lines.Split('\n')[..^1]) spools.Stdout.Write(Encoding.UTF8.GetBytes(line + "\n"));

        Assert.Equal("--- stdout ---\n" + lines + "--- stderr ---\n", Gunzip(spools.Compose("", "")));
    }

    [Fact]
    public void A_budget_grants_what_is_left_and_never_less_than_nothing()
    {
        var budget = new OutputBudget(10);
        Assert.Equal(7, budget.Take(7));
        Assert.Equal(3, budget.Take(7));
        Assert.Equal(0, budget.Take(7));
        Assert.Equal(0, new OutputBudget(-5).Take(1));
    }
}
