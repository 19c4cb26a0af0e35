using System.Text.Json;
using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Infrastructure;

/// <summary>
/// Runs ./factory as a user would: a separate process, from the repository root. Its keyring (FACTORY_KEYRING) is this
/// test run's own unless the caller names one, so embedded runs never enrol keys in the user's ~/.config.
/// </summary>
public static class FactoryCli
{
    public static readonly string Keyring = Path.Combine(Path.GetTempPath(), $"factory-it-keyring-{Environment.ProcessId}");

    // The run's keyring goes with the run: every earlier run had left one behind in the temp directory.
    static FactoryCli() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(Keyring, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    };

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var launcher = Path.Combine(RepoRoot.Path, "factory");
        var withKeyring = new Dictionary<string, string> { ["FACTORY_KEYRING"] = Keyring };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) withKeyring[k] = v;
        var result = await ProcessRunner.RunAsync(launcher, args, withKeyring, TimeSpan.FromMinutes(20), workingDirectory: RepoRoot.Path);
        return new CliResult(result.ExitCode, result.Stdout, result.Stderr);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);
}
