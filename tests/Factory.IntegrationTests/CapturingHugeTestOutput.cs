using System.Diagnostics;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>
/// Tests that print 200 MB on the real engine, in the shared container (exec) and in one of their own (docker run):
/// their verdict at the end is seen, their last lines are in the record's log_tail and the stored log with the cut
/// said, the whole output (every byte, gzip) is stored as test_output evidence that `verify` re-hashes, and the executor
/// (the `factory run` process, which captures and spools the output) stays small.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class CapturingHugeTestOutput : IDisposable
{
    // 150 MiB of lines, then one line of 50 MiB with no newline in it, then the end that matters. The backslash is
    // doubled for YAML's double quotes, where \0 would be a NUL that no argv can hold.
    private const string Loud = "yes 'noise noise noise noise noise noise noise noise' | head -c 157286400; head -c 52428800 /dev/zero | tr '\\\\0' x; echo";
    private const long Printed = 157286400L + 52428800 + 1;
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_test_printing_200_MB_keeps_its_last_lines_in_the_log_tail_and_the_stored_log_and_the_executor_stays_small()
    {
        _store.Write("tests/smoke.yaml", $$"""
            tests:
              - name: loud-pass
                run: [sh, -c, "{{Loud}}; echo 'verdict: 3 of 3 checks passed'"]
                expect: {stdout: "/^verdict: 3 of 3 checks passed$/"}
              - name: loud-fail
                run: [sh, -c, "{{Loud}}; echo 'error: check 3 of 3 failed' >&2; echo 'last line'; exit 4"]
                fresh_container: true
            """);
        _store.AddModule("light", "7.31.0", $"RUN echo \"light 7.31.0 {Guid.NewGuid():N}\" > /etc/factory/light\n");
        _store.Write("plans/it_loud.yaml", "id: it_loud\nmanifest: core_smoke\nmatrix: {light: [7.31.0]}\nplatforms: [linux/amd64]\n");
        _store.Write("plans/it_quiet.yaml", "id: it_quiet\nmanifest: core_smoke\nmatrix: {light: [7.31.0]}\nplatforms: [linux/amd64]\n");

        // The same item printing nothing first (tests that print a line each): the executor's own footprint, measured
        // the same way in the same run. The image it builds is the one the loud run then reuses from the cache.
        var quietSuite = File.ReadAllText(Path.Combine(_store.Manifests, "tests", "smoke.yaml"));
        _store.Write("tests/smoke.yaml", quietSuite.Replace(Loud, "echo quiet", StringComparison.Ordinal));
        var quiet = await RunMeasuredAsync(_store.Args("run", "it_quiet", "--json"));
        _store.Write("tests/smoke.yaml", quietSuite);
        var loud = await RunMeasuredAsync(_store.Args("run", "it_loud", "--json"));

        Assert.True(loud.ExitCode == 1, loud.Output);
        var item = JsonDocument.Parse(loud.Output).RootElement.GetProperty("items")[0];
        var record = await CliRecords.ShowAsync(_store, item.GetProperty("build_id").GetString()!);
        var tests = record.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.True(tests["loud-pass"].GetProperty("status").GetString() == "passed", tests["loud-pass"].ToString());
        Assert.Equal(4, tests["loud-fail"].GetProperty("exit_code").GetInt32());

        var tail = record.GetProperty("log_tail").GetString()!;
        // stdout's end, then stderr's.
        Assert.EndsWith("xxxx\nlast line\nerror: check 3 of 3 failed", tail.TrimEnd());
        Assert.Matches(@"\[… \d+ bytes cut …\]", tail);

        foreach (var (test, last) in new[] { ("loud-pass", "verdict: 3 of 3 checks passed"), ("loud-fail", "last line") })
        {
            var log = CliRecords.Evidence(_store, record, "test_log", $"tests/{test}.log");
            var stdout = log[(log.IndexOf("--- stdout ---\n", StringComparison.Ordinal) + 15)..log.IndexOf("--- stderr ---\n", StringComparison.Ordinal)];
            Assert.StartsWith("noise noise", stdout);
            Assert.EndsWith($"xxxx\n{last}\n", stdout);
            var marker = System.Text.RegularExpressions.Regex.Match(stdout, @"\n\[… (\d+) bytes cut …\]\n");
            Assert.True(marker.Success, $"{test}: no cut marker in the stored log");
            var shown = System.Text.Encoding.UTF8.GetByteCount(stdout) - System.Text.Encoding.UTF8.GetByteCount(marker.Value) + 1;
            Assert.Equal(Printed + last.Length + 1, shown + long.Parse(marker.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.InRange(log.Length, 1_000_000, 4_300_000);

            var (size, end) = FullOutput(record, $"tests/{test}.log.gz");
            Assert.StartsWith("image: ", end.Head);
            Assert.DoesNotContain("bytes cut", end.Tail);
            Assert.Contains($"xxxx\n{last}\n--- stderr ---\n", end.Tail);
            Assert.Contains("\n--- result ---\n", end.Tail);
            // Every byte printed, with the log's header, stderr and result lines around it.
            Assert.InRange(size, Printed + last.Length + 1, Printed + last.Length + 1 + 4096);
        }

        var verified = await FactoryCli.RunAsync("verify", item.GetProperty("build_id").GetString()!, "--state", _store.State);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(2, verified.Stdout.Split('\n').Count(l => l.StartsWith("ok    test_output tests/loud-", StringComparison.Ordinal)));

        // 200 MB went through the process twice; holding it, even once, would show as hundreds of MB.
        Assert.True(loud.PeakRssMb < quiet.PeakRssMb + 64,
            $"the executor's peak RSS was {loud.PeakRssMb} MB printing 200 MB twice, {quiet.PeakRssMb} MB printing nothing");
    }

    /// <summary>
    /// A test_output object of the record, read from the local store as a stream (checked against its sha256 and size) and
    /// decompressed as a stream: its decompressed size, and its first and last 8 KiB.
    /// </summary>
    private (long Size, (string Head, string Tail) End) FullOutput(JsonElement record, string name)
    {
        var entry = record.GetProperty("evidence").EnumerateArray()
            .Single(e => e.GetProperty("kind").GetString() == "test_output" && e.GetProperty("name").GetString() == name);
        var hex = entry.GetProperty("uri").GetString()!["local:sha256/".Length..];
        var path = Path.Combine(_store.State, "evidence", "sha256", hex[..2], hex);
        using (var raw = File.OpenRead(path))
        {
            Assert.Equal(entry.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw)));
            Assert.Equal(entry.GetProperty("size").GetInt64(), raw.Length);
        }
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        var buffer = new byte[1024 * 1024];
        var head = new byte[8192];
        var tail = new byte[8192];
        long size = 0;
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            if (size < head.Length) buffer.AsSpan(0, (int)Math.Min(read, head.Length - size)).CopyTo(head.AsSpan((int)size));
            // The last 8 KiB: shift what is kept left by what this read brings, then append its end.
            var keep = Math.Min(read, tail.Length);
            tail.AsSpan(keep).CopyTo(tail);
            buffer.AsSpan(read - keep, keep).CopyTo(tail.AsSpan(tail.Length - keep));
            size += read;
        }
        var text = System.Text.Encoding.UTF8;
        return (size, (text.GetString(head, 0, (int)Math.Min(size, head.Length)), text.GetString(tail, tail.Length - (int)Math.Min(size, tail.Length), (int)Math.Min(size, tail.Length))));
    }

    /// <summary>Runs ./factory (one process: it execs dotnet) and follows its peak resident set (VmHWM) until it exits.</summary>
    private static async Task<(int ExitCode, string Output, long PeakRssMb)> RunMeasuredAsync(string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoRoot.Path, "factory")) { RedirectStandardOutput = true, WorkingDirectory = RepoRoot.Path };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The keyring FactoryCli's runs use (and `verify` then checks against), not the user's.
        info.Environment[Factory.Signing.KeyringLocation.EnvironmentVariable] = FactoryCli.Keyring;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        long peakKb = 0;
        while (!process.HasExited)
        {
            try
            {
                var hwm = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (hwm is not null) peakKb = Math.Max(peakKb, long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (IOException) { }
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        Assert.True(peakKb > 0, "the process ended before its memory could be read");
        return (process.ExitCode, await output, peakKb / 1024);
    }
}
