using System.Collections.Concurrent;
using System.Diagnostics;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>
/// deploy/local/supervise.sh, which up.sh runs dockerd under: a service that dies is started again, with a growing
/// pause while it keeps dying young, and SIGTERM stops the service and the supervisor together. Run with a stand-in
/// service (a shell that records its PID), never the host's engine, which other tests are using.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SuperviseScriptTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("factory-supervise-").FullName;
    private readonly ConcurrentQueue<string> _notes = new();
    private Process? _supervisor;

    private string Pids => Path.Combine(_directory, "pids");

    public void Dispose()
    {
        // The supervisor's tree holds every service it started that still runs.
        if (_supervisor is { HasExited: false }) _supervisor.Kill(entireProcessTree: true);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_service_that_dies_is_started_again_and_SIGTERM_stops_both()
    {
        Start($"echo $$ >> '{Pids}'; exec sleep 300");
        var first = (await WaitForPidsAsync(1))[0];

        Signal("KILL", first);
        var second = (await WaitForPidsAsync(2))[1];

        Assert.NotEqual(first, second);
        Assert.True(Alive(second), "the service started again is not running");
        Assert.Contains(_notes, n => n.Contains($"supervise: stand-in started (pid {first})"));
        Assert.Contains(_notes, n => n.Contains("supervise: stand-in exited (status 137)") && n.Contains("starting it again in 1 s"));

        Signal("TERM", _supervisor!.Id);
        await _supervisor.WaitForExitAsync().WaitAsync(Patience);

        Assert.Equal(0, _supervisor.ExitCode);
        await WaitUntilAsync(() => !Alive(second), "the service to stop with its supervisor");
        Assert.Equal(2, ReadPids().Count);
        Assert.Contains(_notes, n => n.Contains("supervise: stand-in stopped"));
    }

    [Fact]
    public async Task A_service_that_keeps_dying_young_is_started_again_after_growing_pauses()
    {
        Start($"echo $$ >> '{Pids}'; exit 3");

        await WaitForPidsAsync(3);
        Signal("TERM", _supervisor!.Id);
        await _supervisor.WaitForExitAsync().WaitAsync(Patience);

        // Three starts mean two deaths noted before the third; a third death may or may not have come before SIGTERM.
        var pauses = _notes.Where(n => n.Contains("exited (status 3)")).Select(n => n[(n.LastIndexOf(" in ", StringComparison.Ordinal) + 4)..]).ToList();
        Assert.True(pauses.Count >= 2, string.Join("\n", _notes));
        Assert.Equal(["1 s", "2 s"], pauses.Take(2));
    }

    private void Start(string service)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "deploy", "local", "supervise.sh"), "stand-in", "bash", "-c", service])
        {
            RedirectStandardError = true, UseShellExecute = false,
        };
        _supervisor = new Process { StartInfo = start };
        _supervisor.ErrorDataReceived += (_, e) => { if (e.Data is not null) _notes.Enqueue(e.Data); };
        _supervisor.Start();
        _supervisor.BeginErrorReadLine();
    }

    private async Task<List<int>> WaitForPidsAsync(int count)
    {
        await WaitUntilAsync(() => ReadPids().Count >= count, $"{count} starts of the service");
        return ReadPids();
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {Patience} for {what}; the supervisor said:\n{string.Join("\n", _notes)}");
            await Task.Delay(50);
        }
    }

    private List<int> ReadPids() =>
        File.Exists(Pids) ? File.ReadAllLines(Pids).Where(l => l.Length > 0).Select(int.Parse).ToList() : [];

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString()]) { UseShellExecute = false, RedirectStandardError = true })!;
        kill.WaitForExit();
    }
}
