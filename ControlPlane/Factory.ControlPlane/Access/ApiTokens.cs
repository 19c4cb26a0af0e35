namespace Factory.ControlPlane.Access;

/// <summary>Creating, checking and revoking tokens over a store: the one code path for the CLI, the API and test harnesses.</summary>
public sealed class ApiTokens(IAccessStore store, TimeProvider clock)
{
    public async Task<IssuedToken> CreateAsync(Role role, string? name, ApiToken? by, CancellationToken ct)
    {
        var (bearer, id, hash) = TokenSecret.Generate();
        var token = new ApiToken(id, role, string.IsNullOrWhiteSpace(name) ? null : name.Trim(), clock.GetUtcNow());
        await store.AddTokenAsync(new StoredToken(token, hash), ct);
        await store.AppendAuditAsync(Entry(token.CreatedAt, by, AuditActions.TokenCreated, id, $"role {role.Name()}"), ct);
        return new IssuedToken(bearer, token);
    }

    /// <summary>The token a bearer value stands for, or null when it is malformed, unknown, revoked or its secret does not match.</summary>
    public async Task<ApiToken?> AuthenticateAsync(string bearer, CancellationToken ct)
    {
        if (!TokenSecret.TryParse(bearer, out var id, out var secret)) return null;
        var stored = await store.FindTokenAsync(id, ct);
        if (stored is null || !TokenSecret.Matches(secret, stored.SecretHash) || stored.Token.IsRevoked) return null;
        return stored.Token;
    }

    public async Task<bool> RevokeAsync(string id, ApiToken? by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!await store.RevokeTokenAsync(id, now, ct)) return false;
        await store.AppendAuditAsync(Entry(now, by, AuditActions.TokenRevoked, id, null), ct);
        return true;
    }

    /// <summary>Without a caller the change was made on the database directly (`factory tokens`), which only its owner can do.</summary>
    private static AuditEntry Entry(DateTimeOffset at, ApiToken? by, string action, string target, string? detail) =>
        new(at, by?.Id, by?.Name ?? (by is null ? DatabaseOwner : null), by?.Role ?? Role.Admin, action, target, detail);

    public const string DatabaseOwner = "factory tokens (database)";
}
