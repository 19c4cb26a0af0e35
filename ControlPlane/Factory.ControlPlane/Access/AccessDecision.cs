namespace Factory.ControlPlane.Access;

public enum AccessDecision
{
    Allowed,
    /// <summary>No token, or one that is unknown or revoked: 401.</summary>
    Unauthenticated,
    /// <summary>A valid token whose role is too low: 403.</summary>
    Forbidden,
}
