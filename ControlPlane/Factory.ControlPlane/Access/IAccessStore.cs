namespace Factory.ControlPlane.Access;

/// <summary>Tokens (hashed) and the audit log, in the database the fleet uses (PostgreSQL) or the embedded state (SQLite).</summary>
public interface IAccessStore
{
    Task AddTokenAsync(StoredToken token, CancellationToken ct);

    Task<StoredToken?> FindTokenAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct);

    /// <summary>Marks the token revoked; false when there is no such token (revoking twice keeps the first time).</summary>
    Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken ct);

    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct);

    /// <summary>The latest entries first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct);
}
