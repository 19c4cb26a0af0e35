namespace Factory.Web;

/// <summary>
/// The configuration section <c>Web</c>. The UI reads local evidence and the signing public key where the executors
/// keep them: under their state directory (in the control plane, ControlPlane:StateDirectory).
/// </summary>
public sealed class WebUiOptions
{
    public const string Section = "Web";

    public string StateDirectory { get; set; } = ".factory";
    /// <summary>The PEM public key records are verified against; default &lt;state&gt;/keys/signing-key.pem.pub.</summary>
    public string? SigningPublicKey { get; set; }
    /// <summary>How many of a cell's latest results its strip shows on the matrix.</summary>
    public int Strip { get; set; } = 10;
    /// <summary>How far back a cell's records count for flakiness, e.g. 14d.</summary>
    public TimeSpan FlakeWindow { get; set; } = TimeSpan.FromDays(14);

    public string SigningPublicKeyPath => SigningPublicKey ?? Path.Combine(StateDirectory, "keys", "signing-key.pem.pub");
}
