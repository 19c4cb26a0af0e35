using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Infrastructure;

public static class Docker
{
    public const string Cli = "/usr/bin/docker";

    public static async Task<string> RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(Cli, args, new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "1" }, TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', args)} failed: {result.Combined}");
        return result.Stdout;
    }
}
