using Factory.ControlPlane.Access;
using Microsoft.Data.Sqlite;

namespace Factory.ControlPlane.State;

/// <summary>Tokens and the audit log of the embedded default, in &lt;state&gt;/access.db (created 0600: it holds token hashes).</summary>
public sealed class SqliteAccessStore : IAccessStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS api_tokens (
            id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            name TEXT,
            secret_sha256 BLOB NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT);
        CREATE TABLE IF NOT EXISTS audit_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            token_id TEXT,
            token_name TEXT,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT);
        """;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly SchemaOnce _schema = new();

    public SqliteAccessStore(string stateDirectory)
    {
        var directory = Path.GetFullPath(stateDirectory);
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "access.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public Task AddTokenAsync(StoredToken token, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO api_tokens (id, role, name, secret_sha256, created_at) VALUES ($1, $2, $3, $4, $5)", ct,
            token.Token.Id, token.Token.Role.Name(), token.Token.Name, token.SecretHash, SqliteTime.Text(token.Token.CreatedAt));

    public async Task<StoredToken?> FindTokenAsync(string id, CancellationToken ct) =>
        (await QueryAsync("SELECT id, role, name, created_at, revoked_at, secret_sha256 FROM api_tokens WHERE id = $1", ct,
            r => new StoredToken(ReadToken(r), (byte[])r[5]), id)).SingleOrDefault();

    public Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct) =>
        QueryAsync("SELECT id, role, name, created_at, revoked_at FROM api_tokens ORDER BY created_at, id", ct, ReadToken);

    public async Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken ct) =>
        await ExecuteAsync("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", ct, id, SqliteTime.Text(at)) > 0;

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct) =>
        ExecuteAsync("INSERT INTO audit_log (at, token_id, token_name, role, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)", ct,
            SqliteTime.Text(entry.At), entry.TokenId, entry.TokenName, entry.Role.Name(), entry.Action, entry.Target, entry.Detail);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct) =>
        QueryAsync("SELECT at, token_id, token_name, role, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT $1", ct,
            r => new AuditEntry(SqliteTime.Parse(r.GetString(0)), Text(r, 1), Text(r, 2), ParseRole(r.GetString(3)), r.GetString(4), r.GetString(5), Text(r, 6)), limit);

    private static ApiToken ReadToken(SqliteDataReader r) =>
        new(r.GetString(0), ParseRole(r.GetString(1)), Text(r, 2), SqliteTime.Parse(r.GetString(3)), r.IsDBNull(4) ? null : SqliteTime.Parse(r.GetString(4)));

    private static Role ParseRole(string text) => Roles.TryParse(text, out var role) ? role : throw new InvalidDataException($"api_tokens: unknown role '{text}'");

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params object?[] values)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct, Func<SqliteDataReader, T> read, params object?[] values)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, object?[] values)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        return command;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        if (!File.Exists(_path))
        {
            // Created empty and private before SQLite writes into it: token hashes are nobody else's business.
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var _ = new FileStream(_path, create);
            }
            catch (IOException) when (File.Exists(_path))
            {
                // Another process created it first.
            }
        }
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await _schema.EnsureAsync(async () =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Schema;
            await command.ExecuteNonQueryAsync(ct);
        });
        return connection;
    }
}
