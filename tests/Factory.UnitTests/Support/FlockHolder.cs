using System.Diagnostics;

namespace Factory.UnitTests.Support;

/// <summary>
/// Another process holding a file lock: flock(1) from util-linux, which takes the same flock(2) lock .NET takes for
/// FileShare.None. Disposing kills it, as an executor that dies would be. --close: only flock itself holds the lock,
/// so once it has exited the lock is free (a child still dying cannot hold it a moment longer).
/// </summary>
public sealed class FlockHolder : IDisposable
{
    private readonly Process _process;

    private FlockHolder(Process process) => _process = process;

    public static async Task<FlockHolder> HoldAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var info = new ProcessStartInfo("flock", ["--exclusive", "--nonblock", "--close", path, "sh", "-c", "echo locked; exec sleep 300"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line != "locked") throw new InvalidOperationException($"flock did not take {path}: {await process.StandardError.ReadToEndAsync()}");
        return new FlockHolder(process);
    }

    public int Pid => _process.Id;

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
