using System.Diagnostics;
using System.Text.Json;
using Factory.Contracts.Manifests;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Manifests;
using Factory.Testing;

namespace Factory.Bench;

/// <summary>
/// The job by hand: `docker build` of the factory's stitched Dockerfile and build context, with a marker of its own each
/// time, then one `docker run` per test with the limits the executor gives a test container.
/// </summary>
public sealed class ByHandJob(string dockerfile, string context, string marker, string memory, int pids)
{
    private const string Docker = "/usr/bin/docker";
    private static readonly Dictionary<string, string> DockerEnvironment = new() { ["DOCKER_BUILDKIT"] = "1" };

    public sealed record Timing(double Seconds, double BuildSeconds, double TestSeconds);

    public static ByHandJob From(JsonElement record, string state, string store, string marker, string root)
    {
        var entry = record.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "dockerfile");
        var hex = entry.GetProperty("sha256").GetString()!;
        var dockerfile = File.ReadAllText(Path.Combine(state, "evidence", "sha256", hex[..2], hex));
        var context = Path.Combine(root, "by-hand-context");
        foreach (var module in record.GetProperty("modules").EnumerateArray())
        {
            var (name, version) = (module.GetProperty("name").GetString()!, module.GetProperty("version").GetString()!);
            LocalFleet.CopyDirectory(ModuleLoader.DirectoryOf(store, name, version), Path.Combine(context, "modules", name, version));
        }
        var defaults = new ExecutorOptions();
        return new ByHandJob(dockerfile, context, marker, defaults.TestMemory, defaults.TestPidsLimit);
    }

    public async Task<Timing> RunAsync(IReadOnlyList<TestCase> tests, CancellationToken ct)
    {
        var own = Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile.Replace(marker, own), ct);
        var tag = $"factory-bench-by-hand:{own[..12]}";
        try
        {
            var clock = Stopwatch.StartNew();
            await DockerAsync(["build", "--network", "host", "--platform", "linux/amd64", "--tag", tag, context], TimeSpan.FromMinutes(30), ct);
            var built = clock.Elapsed.TotalSeconds;
            foreach (var test in tests)
            {
                var result = await ProcessRunner.RunAsync(Docker, ["run", "--rm", "--pull", "never", "--network", "none", "--platform", "linux/amd64",
                    "--memory", memory, "--pids-limit", pids.ToString(), tag, .. test.Run], DockerEnvironment, test.Timeout, ct);
                if (result.ExitCode != test.Expect.ExitCode)
                    throw new InvalidOperationException($"by hand, test {test.Name} exited {result.ExitCode}, not {test.Expect.ExitCode}:\n{result.Combined}");
            }
            var total = clock.Elapsed.TotalSeconds;
            return new Timing(total, built, total - built);
        }
        finally
        {
            await Shell.Quietly($"remove {tag}", () => ProcessRunner.RunAsync(Docker, ["image", "rm", "--force", tag], DockerEnvironment, TimeSpan.FromMinutes(2)));
        }
    }

    private static async Task DockerAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(Docker, args, DockerEnvironment, timeout, ct);
        if (result.ExitCode != 0) throw new InvalidOperationException($"docker {args[0]} exited {result.ExitCode}:\n{ProcessTail(result.Combined)}");
    }

    private static string ProcessTail(string text) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(20));
}
