using Factory.Executor;
using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>
/// The Debian docker CLI (with BuildKit), as a test runs it by hand. Not named Docker: that is Docker.DotNet's root
/// namespace. A call the CLI could not even deliver ("Cannot connect to the Docker daemon") waits for the engine as the
/// factory commands do (<see cref="DockerEngine.WaitUntilAvailableAsync"/>: dockerd may be restarting under
/// deploy/local/supervise.sh) and is made once more; whatever the engine did answer is the test's to judge.
/// </summary>
public static class DockerCli
{
    public const string Program = "/usr/bin/docker";

    public static async Task<string> RunAsync(params string[] args)
    {
        var result = await RunOnceAsync(args);
        if (result.ExitCode != 0 && result.Combined.Contains("Cannot connect to the Docker daemon", StringComparison.Ordinal))
        {
            using var engine = new DockerEngine(new ExecutorOptions());
            await engine.WaitUntilAvailableAsync(DockerEngine.RestartPatience, _ => { }, CancellationToken.None);
            result = await RunOnceAsync(args);
        }
        Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', args)} failed: {result.Combined}");
        return result.Stdout;
    }

    private static Task<ProcessResult> RunOnceAsync(string[] args) =>
        ProcessRunner.RunAsync(Program, args, new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1" }, TimeSpan.FromMinutes(5));
}
