using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>The Debian docker CLI (with BuildKit), as a test runs it by hand. Not named Docker: that is Docker.DotNet's root namespace.</summary>
public static class DockerCli
{
    public const string Program = "/usr/bin/docker";

    public static async Task<string> RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(Program, args, new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1" }, TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', args)} failed: {result.Combined}");
        return result.Stdout;
    }
}
