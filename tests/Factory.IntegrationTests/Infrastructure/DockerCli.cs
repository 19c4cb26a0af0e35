using System.Diagnostics;
using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>
/// The Debian docker CLI (with BuildKit), as a test runs it by hand. Not named Docker: that is Docker.DotNet's root
/// namespace. A call the CLI could not even deliver, because the engine's socket is there but nothing answers (dockerd
/// restarting under deploy/local/supervise.sh), is made again for up to 20 s, as the factory commands wait
/// (DockerEngine.WaitUntilAvailableAsync); whatever the engine did answer is the test's to judge.
/// </summary>
public static class DockerCli
{
    public const string Program = "/usr/bin/docker";
    private const string Socket = "/var/run/docker.sock";
    private static readonly TimeSpan RestartPatience = TimeSpan.FromSeconds(20);

    public static async Task<string> RunAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var result = await ProcessRunner.RunAsync(Program, args, new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1" }, TimeSpan.FromMinutes(5));
            var undelivered = result.ExitCode != 0 && result.Combined.Contains("Cannot connect to the Docker daemon", StringComparison.Ordinal) && File.Exists(Socket);
            if (!undelivered || clock.Elapsed >= RestartPatience)
            {
                Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', args)} failed: {result.Combined}");
                return result.Stdout;
            }
            await Task.Delay(pause);
            pause = pause * 2 < TimeSpan.FromSeconds(2) ? pause * 2 : TimeSpan.FromSeconds(2);
        }
    }
}
