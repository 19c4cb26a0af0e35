using System.CommandLine;
using Factory.Contracts.Failures;
using Factory.Manifests;

namespace Factory.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string> ManifestStore() => new("--manifest-store")
    {
        Description = "The manifest store directory",
        DefaultValueFactory = _ => "manifests",
    };

    public static Option<string> State() => new("--state")
    {
        Description = "The state directory (records index, record files, evidence)",
        DefaultValueFactory = _ => ".factory",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON on stdout" };

    /// <summary>The cap on a plan's combinations: FACTORY_MAX_COMBINATIONS, else the default (100,000).</summary>
    public static long MaxCombinations =>
        long.TryParse(Environment.GetEnvironmentVariable("FACTORY_MAX_COMBINATIONS"), out var max) && max > 0 ? max : PlanLimits.DefaultMaxCombinations;

    public static string Registry => Environment.GetEnvironmentVariable("FACTORY_REGISTRY") is { Length: > 0 } r ? r : "127.0.0.1:5000";

    /// <summary>A note on stderr that is not an error: the command goes on.</summary>
    public static void Warn(string message) => Console.Error.WriteLine($"warning: {message}");

    /// <summary>Runs a command body, turning bad input and infrastructure failures into a message on stderr and exit code 2.</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (InvalidInputException ex)
        {
            foreach (var error in ex.Errors) await Console.Error.WriteLineAsync($"error: {error}");
            return ExitCodes.InvalidInput;
        }
        catch (Factory.Signing.TrustSetupException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (InfrastructureException ex)
        {
            await Console.Error.WriteLineAsync($"error: infrastructure: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }
}
