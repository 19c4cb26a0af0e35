namespace Factory.ControlPlane.Access;

/// <summary>A token's row: the token and the SHA-256 of its secret.</summary>
public sealed record StoredToken(ApiToken Token, byte[] SecretHash);
