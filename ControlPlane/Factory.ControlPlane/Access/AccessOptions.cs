namespace Factory.ControlPlane.Access;

/// <summary>The configuration section <c>Auth</c>.</summary>
public sealed class AccessOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Whether reads (GET) are allowed without a token. Off for the control plane (a fleet others use), on for the
    /// embedded `factory serve` on the loopback. Writes always need a token.
    /// </summary>
    public bool AnonymousReads { get; set; }
}
