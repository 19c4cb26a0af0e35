using Factory.ControlPlane.Access;
using Factory.Records;
using Npgsql;

namespace Factory.ControlPlane.State;

/// <summary>Tokens and the audit log in the fleet's PostgreSQL database; the tables are created on first use.</summary>
public sealed class PostgresAccessStore(NpgsqlDataSource dataSource) : IAccessStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_tokens (
            id text PRIMARY KEY,
            role text NOT NULL,
            name text,
            secret_sha256 bytea NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz);
        CREATE TABLE IF NOT EXISTS audit_log (
            seq bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            token_id text,
            token_name text,
            role text NOT NULL,
            action text NOT NULL,
            target text NOT NULL,
            detail text);
        """;

    private readonly SchemaOnce _schema = new();

    public Task AddTokenAsync(StoredToken token, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO api_tokens (id, role, name, secret_sha256, created_at) VALUES ($1, $2, $3, $4, $5)", ct,
            token.Token.Id, token.Token.Role.Name(), token.Token.Name, token.SecretHash, token.Token.CreatedAt);

    public async Task<StoredToken?> FindTokenAsync(string id, CancellationToken ct) =>
        (await QueryAsync("SELECT id, role, name, created_at, revoked_at, secret_sha256 FROM api_tokens WHERE id = $1", ct,
            r => new StoredToken(ReadToken(r), (byte[])r[5]), id)).SingleOrDefault();

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct) =>
        QueryAsync("SELECT id, role, name, created_at, revoked_at FROM api_tokens ORDER BY created_at, id", ct, ReadToken);

    public async Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken ct) =>
        await ExecuteAsync("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", ct, id, at) > 0;

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO audit_log (at, token_id, token_name, role, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)", ct,
            entry.At, entry.TokenId, entry.TokenName, entry.Role.Name(), entry.Action, entry.Target, entry.Detail);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct) =>
        QueryAsync("SELECT at, token_id, token_name, role, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT $1", ct,
            r => new AuditEntry(r.GetFieldValue<DateTimeOffset>(0), Text(r, 1), Text(r, 2), ParseRole(r.GetString(3)), r.GetString(4), r.GetString(5), Text(r, 6)), limit);

    private static ApiToken ReadToken(NpgsqlDataReader r) =>
        new(r.GetString(0), ParseRole(r.GetString(1)), Text(r, 2), r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4));

    private static Role ParseRole(string text) => Roles.TryParse(text, out var role) ? role : throw new InvalidDataException($"api_tokens: unknown role '{text}'");

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private Task<int> ExecuteAsync(string sql, CancellationToken ct, params object?[] values) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = await CommandAsync(sql, values, ct);
            return await command.ExecuteNonQueryAsync(ct);
        });

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct, Func<NpgsqlDataReader, T> read, params object?[] values) =>
        PostgresFailures.Guard<IReadOnlyList<T>>(async () =>
        {
            await using var command = await CommandAsync(sql, values, ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<T>();
            while (await reader.ReadAsync(ct)) rows.Add(read(reader));
            return rows;
        });

    private async Task<NpgsqlCommand> CommandAsync(string sql, object?[] values, CancellationToken ct)
    {
        await _schema.EnsureAsync(() => PostgresSchema.EnsureAsync(dataSource, Schema, ct));
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
