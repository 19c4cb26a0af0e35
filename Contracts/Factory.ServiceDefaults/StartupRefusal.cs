using Microsoft.Extensions.Options;

namespace Factory.ServiceDefaults;

/// <summary>
/// A host that cannot start as configured says why and exits 2 (bad input), instead of an unhandled exception's stack
/// trace or, worse, a default it was not asked for.
/// </summary>
public static class StartupRefusal
{
    public const int ExitCode = 2;

    /// <summary>Runs the host's composition; returns null, or the exit code after printing "SERVICE: refusing to start: WHY".</summary>
    public static int? Check(string service, Action compose)
    {
        try
        {
            compose();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"{service}: refusing to start: {ex.Message}");
            return ExitCode;
        }
    }
}
