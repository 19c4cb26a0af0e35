namespace Factory.Signing;

/// <summary>
/// Where the keyring is when nothing names one: FACTORY_KEYRING, else the user's configuration directory
/// ($XDG_CONFIG_HOME/factory/keyring, default ~/.config/factory/keyring). Deliberately outside the state directory, so
/// trusting a key is never a side effect of receiving someone's records, evidence or .pub files.
/// </summary>
public static class KeyringLocation
{
    public const string EnvironmentVariable = "FACTORY_KEYRING";
    public const string ConfigurationKey = "Signing:Keyring";

    public static string Default()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured) return configured;
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "factory", "keyring");
    }
}
