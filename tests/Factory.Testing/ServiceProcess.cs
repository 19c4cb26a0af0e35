using System.Diagnostics;
using Factory.Executor.Engine;

namespace Factory.Testing;

/// <summary>
/// A fleet service started by the caller itself rather than by fleet.sh, so that the caller can signal it and see how it
/// exits (a process fleet.sh started is nobody's child here). Its output goes to the fleet's run directory like the
/// other services' logs and is kept, to wait for a line.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StreamWriter _log;

    private ServiceProcess(string name, Process process, StreamWriter log) => (Name, _process, _log) = (name, process, log);

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logFile)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(new FileStream(logFile, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var service = new ServiceProcess(name, new Process { StartInfo = info }, log);
        service._process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service._process.Start();
        service._process.StandardInput.Close();
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        return service;
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    public string Output => string.Join("\n", Lines);

    /// <summary>The first line that matches, once it is written; throws naming what was awaited if it is not in time or the process exits.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var (line, met) = await Poll.UntilAsync<string?>(async () =>
        {
            if (Lines.FirstOrDefault(match) is { } line) return line;
            if (!_process.HasExited) return null;
            await _process.WaitForExitAsync(); // the last lines are read
            return Lines.FirstOrDefault(match) ?? throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before {what}:\n{Tail()}");
        }, line => line is not null, timeout, TimeSpan.FromMilliseconds(100));
        return met ? line! : throw new TimeoutException($"{Name}: no {what} within {timeout}:\n{Tail()}");
    }

    /// <summary>SIGTERM, as compose, Kubernetes and fleet.sh down stop a service.</summary>
    public async Task TerminateAsync()
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", Pid.ToString()], timeout: TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {Pid} ({Name}): {kill.Combined}");
    }

    /// <summary>The exit code, or null if the process is still running after the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public string Tail(int lines = 40) => string.Join("\n", Lines.Where(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_lines) _log.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            _log.WriteLine(line);
        }
    }
}
