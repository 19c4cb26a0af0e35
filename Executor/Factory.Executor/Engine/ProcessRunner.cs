using System.Diagnostics;

namespace Factory.Executor.Engine;

/// <summary>
/// Runs an external program with an argv list (no shell), capturing its output, with a timeout. Output is read in
/// chunks, not lines, into <see cref="OutputCapture"/>s: a program that prints gigabytes, or one endless line, costs
/// the head and tail kept and nothing more (with spools, the whole output also streams to disk). With an input, it is
/// written to the program's stdin while the output is read; otherwise stdin is closed at once.
/// </summary>
public static class ProcessRunner
{
    // After the program exits, how long a child of it that still holds its output open may keep the capture waiting.
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(10);

    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken ct = default, string? workingDirectory = null, OutputLimits? limits = null,
        TestOutputSpools? spools = null, Action<Stream>? input = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        limits ??= OutputLimits.Tools;
        var stdout = new OutputCapture(limits, spools?.Stdout);
        var stderr = new OutputCapture(limits, spools?.Stderr);
        var combined = new OutputCapture(limits);

        using var process = new Process { StartInfo = info };
        var watch = Stopwatch.StartNew();
        process.Start();
        var writing = input is null ? Task.CompletedTask : Task.Run(() => Feed(process.StandardInput.BaseStream, input));
        if (input is null) process.StandardInput.Close();
        using var stopReading = new CancellationTokenSource();
        var reading = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, stdout, combined, stopReading.Token),
            PumpAsync(process.StandardError.BaseStream, stderr, combined, stopReading.Token),
            writing);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t) timeoutSource.CancelAfter(t);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !ct.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            if (!timedOut)
            {
                await StopAsync(reading, stopReading);
                throw;
            }
        }
        await StopAsync(reading, stopReading);
        lock (combined)
            return new ProcessResult(process.ExitCode, stdout.Text(), stderr.Text(), combined.Text(), timedOut, watch.Elapsed);
    }

    /// <summary>
    /// A program that exits (or is killed) before it has read all its input closes the pipe: what it did is then told
    /// by its exit code and output, not by the write that failed.
    /// </summary>
    private static void Feed(Stream stdin, Action<Stream> input)
    {
        try
        {
            using (stdin) input(stdin);
        }
        catch (IOException) { }
    }

    private static async Task StopAsync(Task reading, CancellationTokenSource stopReading)
    {
        stopReading.CancelAfter(DrainAfterExit);
        try { await reading; }
        catch (OperationCanceledException) { }
    }

    private static async Task PumpAsync(Stream from, OutputCapture own, OutputCapture combined, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            lock (combined)
            {
                own.Write(buffer.AsSpan(0, read));
                combined.Write(buffer.AsSpan(0, read));
            }
        }
    }
}
