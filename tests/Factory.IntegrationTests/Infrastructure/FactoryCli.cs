using System.Text.Json;
using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>Runs ./factory as a user would: a separate process, from the repository root.</summary>
public static class FactoryCli
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var launcher = Path.Combine(RepoRoot.Path, "factory");
        var result = await ProcessRunner.RunAsync(launcher, args, environment, TimeSpan.FromMinutes(20), workingDirectory: RepoRoot.Path);
        return new CliResult(result.ExitCode, result.Stdout, result.Stderr);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);
}
