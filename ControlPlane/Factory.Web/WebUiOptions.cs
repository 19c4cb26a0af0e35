namespace Factory.Web;

/// <summary>
/// The configuration section <c>Web</c>. The UI reads local evidence where the executors keep it: under their state
/// directory (in the control plane, ControlPlane:StateDirectory). It verifies against the keyring only.
/// </summary>
public sealed class WebUiOptions
{
    public const string Section = "Web";

    public string StateDirectory { get; set; } = ".factory";
    /// <summary>The keyring records are verified against (Signing:Keyring; default: Factory.Signing.KeyringLocation).</summary>
    public string? Keyring { get; set; }
    /// <summary>How many of a cell's latest results its strip shows on the matrix.</summary>
    public int Strip { get; set; } = 10;
    /// <summary>How far back a cell's records count for flakiness, e.g. 14d.</summary>
    public TimeSpan FlakeWindow { get; set; } = TimeSpan.FromDays(14);

    public string KeyringPath => Keyring ?? Factory.Signing.KeyringLocation.Default();
}
