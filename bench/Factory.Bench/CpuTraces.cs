using System.Diagnostics;

namespace Factory.Bench;

/// <summary>
/// Only when FACTORY_BENCH_TRACE names a directory: a thread-time sampling trace (about 100 Hz) of each named process (dotnet-trace, which must
/// be on PATH or in ~/.dotnet/tools) while a row runs, one .nettrace file per process, to find where a row's time goes.
/// Tracing costs CPU itself: a row measured with it is for reading, not for the table.
/// </summary>
public sealed class CpuTraces : IAsyncDisposable
{
    private readonly List<Process> _collectors = [];

    public static string? Directory => Environment.GetEnvironmentVariable("FACTORY_BENCH_TRACE") is { Length: > 0 } dir ? dir : null;

    public static async Task<CpuTraces?> StartAsync(string row, IReadOnlyDictionary<string, int> pids)
    {
        if (Directory is not { } dir) return null;
        System.IO.Directory.CreateDirectory(dir);
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var traces = new CpuTraces();
        foreach (var (name, pid) in pids)
        {
            var output = Path.Combine(dir, $"{row}-{name}.nettrace");
            var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace", ["collect", "-p", pid.ToString(), "--profile", "dotnet-sampled-thread-time", "-o", output])
            {
                RedirectStandardOutput = true, // its progress display; its errors go to the bench's stderr
            };
            traces._collectors.Add(Process.Start(start)!);
            Shell.Log($"tracing {name} (pid {pid}) to {output}");
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // the session starts before the row does
        return traces;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var collector in _collectors)
        {
            // dotnet-trace stops a session on Ctrl+C and then writes the file.
            using var interrupt = Process.Start("kill", ["-s", "INT", collector.Id.ToString()]);
            await interrupt.WaitForExitAsync();
        }
        foreach (var collector in _collectors)
        {
            await collector.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            collector.Dispose();
        }
    }
}
