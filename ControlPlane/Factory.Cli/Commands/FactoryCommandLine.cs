using System.CommandLine;

namespace Factory.Cli.Commands;

/// <summary>The `factory` command tree. Exit codes: 0 all passed, 1 some combination failed, 2 invalid input or infrastructure down.</summary>
public static class FactoryCommandLine
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Factory: render, build, test and record every combination of a layered image manifest.")
        {
            ManifestsCommands.Create(),
            PlanCommands.Create(),
            RunCommand.Create(),
            RecordsCommands.Create(),
            ResolveCommand.Create(),
            SubmitCommand.Create(),
            DeadLetterCommands.Create(),
            FleetCommand.Create(),
            EvidenceCommands.Create(),
            VerifyCommand.Create(),
            PrewarmCommand.Create(),
            ServeCommand.Create(),
            TokensCommands.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync($"factory: {error.Message}");
            await Console.Error.WriteLineAsync("Run 'factory --help' for usage.");
            return ExitCodes.InvalidInput;
        }
        return await parsed.InvokeAsync();
    }
}
