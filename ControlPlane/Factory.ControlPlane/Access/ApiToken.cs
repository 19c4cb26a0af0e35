namespace Factory.ControlPlane.Access;

/// <summary>A bearer token as stored: never its secret, only what identifies it and what it may do.</summary>
public sealed record ApiToken(string Id, Role Role, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>"name (id)" or the id: how the audit log and messages name the caller.</summary>
    public string Display => Name is { Length: > 0 } name ? $"{name} ({Id})" : Id;
}
