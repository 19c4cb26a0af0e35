using System.Diagnostics;
using System.Text;

namespace Factory.Executor.Engine;

/// <summary>Runs an external program with an argv list (no shell), capturing its output, with a timeout.</summary>
public static class ProcessRunner
{
    private const int MaxCapture = 8 * 1024 * 1024;

    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken ct = default, string? workingDirectory = null)
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

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var combined = new StringBuilder();
        void Append(StringBuilder own, string? line)
        {
            if (line is null) return;
            lock (combined)
            {
                if (own.Length < MaxCapture) own.Append(line).Append('\n');
                if (combined.Length < MaxCapture) combined.Append(line).Append('\n');
            }
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        var watch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

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
            if (!timedOut) throw;
        }
        process.WaitForExit();
        lock (combined)
            return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), combined.ToString(), timedOut, watch.Elapsed);
    }
}
