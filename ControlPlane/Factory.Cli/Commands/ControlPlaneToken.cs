using System.CommandLine;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>
/// The token a command presents to a control plane: the file --token-file names, else FACTORY_TOKEN, else none (the
/// control plane may allow anonymous reads; writes then answer 401). Never an option value: a command line is public.
/// </summary>
internal static class ControlPlaneToken
{
    public const string OptionName = "--token-file";
    public const string Variable = "FACTORY_TOKEN";

    public static Option<string?> FileOption() => new(OptionName)
    {
        Description = $"A file holding the control plane token (default: ${Variable}); create one with `factory tokens create`",
    };

    public static string? Read(string? file)
    {
        if (file is null) return Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } token ? token.Trim() : null;
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(OptionName, "", $"cannot read the token file {Names.Quote(file)}: {ex.Message}");
        }
        return text.Length > 0 ? text : throw new InvalidInputException(OptionName, "", $"the token file {Names.Quote(file)} is empty");
    }
}
