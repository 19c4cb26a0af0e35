using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Microsoft.Data.Sqlite;

namespace Factory.Records;

/// <summary>
/// The embedded default: one JSON file per record under &lt;state&gt;/records/&lt;key&gt;/&lt;build id&gt;.json, indexed in
/// &lt;state&gt;/factory.db. The file is written (atomically) before the index row, so an indexed record always has its file.
/// </summary>
public sealed class SqliteCompatibilityRecordStore : ICompatibilityRecordStore
{
    private readonly string _stateDirectory;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>
    /// The records of a state directory opened read-only as an immutable file: no schema work, no WAL or shared-memory
    /// file is made, so it opens on a full disk. It does not see what a writer still holds in its WAL (a quiescent
    /// index has none: the last connection to close checkpoints it), so use it only when the normal open cannot write.
    /// </summary>
    public static SqliteCompatibilityRecordStore Immutable(string stateDirectory) => new(Path.GetFullPath(stateDirectory), immutable: true);

    private SqliteCompatibilityRecordStore(string stateDirectory, bool immutable)
    {
        _stateDirectory = stateDirectory;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = new Uri(Path.Combine(_stateDirectory, "factory.db")).AbsoluteUri + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
    }

    public SqliteCompatibilityRecordStore(string stateDirectory)
    {
        _stateDirectory = Path.GetFullPath(stateDirectory);
        Directory.CreateDirectory(_stateDirectory);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_stateDirectory, "factory.db"), Pooling = false }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS records (
                build_id TEXT PRIMARY KEY,
                idempotency_key TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                manifest_id TEXT NOT NULL,
                platform TEXT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT,
                test_suite_hash TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                record_file TEXT NOT NULL,
                record_json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS records_by_key ON records (idempotency_key);
            CREATE INDEX IF NOT EXISTS records_by_manifest ON records (manifest_id, recorded_at);
            CREATE TABLE IF NOT EXISTS module_digests (
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                content_digest TEXT NOT NULL,
                first_build_id TEXT NOT NULL,
                PRIMARY KEY (name, version));
            """);
        // Added later: the image, for reuse decisions without reading every record's JSON.
        using (var columns = connection.CreateCommand())
        {
            columns.CommandText = "SELECT count(*) FROM pragma_table_info('records') WHERE name = 'image'";
            if (Convert.ToInt64(columns.ExecuteScalar()) == 0)
                Execute(connection, "ALTER TABLE records ADD COLUMN image TEXT; UPDATE records SET image = json_extract(record_json, '$.image');");
            // Added later: the trusted key that signed the record (null for records stored before results were checked).
            columns.CommandText = "SELECT count(*) FROM pragma_table_info('records') WHERE name = 'signed_by'";
            if (Convert.ToInt64(columns.ExecuteScalar()) == 0)
                Execute(connection, "ALTER TABLE records ADD COLUMN signed_by TEXT;");
        }
    }

    public async Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct) => (await SaveManyAsync([record], ct))[0];

    /// <summary>The group in one transaction; each new record's file is written before its index row.</summary>
    public async Task<IReadOnlyList<bool>> SaveManyAsync(IReadOnlyList<CompatibilityRecord> records, CancellationToken ct)
    {
        if (records.Count == 0) return [];
        var group = new RecordGroup(records);
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction();
            var inserted = new HashSet<Guid>();
            foreach (var record in group.Records)
                if (await InsertAsync(connection, tx, record, ct)) inserted.Add(record.BuildId);
            foreach (var module in group.Digests)
            {
                var digest = connection.CreateCommand();
                digest.Transaction = tx;
                digest.CommandText = "INSERT OR IGNORE INTO module_digests (name, version, content_digest, first_build_id) VALUES ($name, $version, $digest, $build)";
                digest.Parameters.AddWithValue("$name", module.Name);
                digest.Parameters.AddWithValue("$version", module.Version);
                digest.Parameters.AddWithValue("$digest", module.ContentDigest);
                digest.Parameters.AddWithValue("$build", module.FirstBuildId.ToString());
                await digest.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return group.Outcomes(inserted);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<bool> InsertAsync(SqliteConnection connection, SqliteTransaction tx, CompatibilityRecord record, CancellationToken ct)
    {
        if (await ExistsAsync(connection, tx, record.BuildId, ct)) return false;
        var json = JsonSerializer.Serialize(record, FactoryJson.Options);
        var relative = Path.Combine("records", record.IdempotencyKey, record.BuildId + ".json");
        await WriteAtomicallyAsync(Path.Combine(_stateDirectory, relative), json, ct);
        var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT OR IGNORE INTO records (build_id, idempotency_key, plan_id, manifest_id, platform, status, reason, test_suite_hash, recorded_at, record_file, record_json, image, signed_by)
            VALUES ($build, $key, $plan, $manifest, $platform, $status, $reason, $suite, $at, $file, $json, $image, $signed)
            """;
        insert.Parameters.AddWithValue("$build", record.BuildId.ToString());
        insert.Parameters.AddWithValue("$key", record.IdempotencyKey);
        insert.Parameters.AddWithValue("$plan", record.PlanId);
        insert.Parameters.AddWithValue("$manifest", record.ManifestId);
        insert.Parameters.AddWithValue("$platform", record.Platform);
        insert.Parameters.AddWithValue("$status", record.Status);
        insert.Parameters.AddWithValue("$reason", (object?)record.Reason ?? DBNull.Value);
        insert.Parameters.AddWithValue("$suite", record.TestSuiteHash);
        insert.Parameters.AddWithValue("$at", record.RecordedAt.ToString("O"));
        insert.Parameters.AddWithValue("$file", relative);
        insert.Parameters.AddWithValue("$json", json);
        insert.Parameters.AddWithValue("$image", (object?)record.Image ?? DBNull.Value);
        insert.Parameters.AddWithValue("$signed", (object?)record.SignedBy ?? DBNull.Value);
        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<CompatibilityRecord?> GetAsync(Guid buildId, CancellationToken ct) =>
        (await QueryAsync("SELECT record_json FROM records WHERE build_id = $p0", ct, buildId.ToString())).FirstOrDefault();

    public Task<IReadOnlyList<CompatibilityRecord>> FindByKeyAsync(string idempotencyKey, CancellationToken ct) =>
        QueryAsync("SELECT record_json FROM records WHERE idempotency_key = $p0 ORDER BY recorded_at DESC", ct, idempotencyKey);

    public Task<IReadOnlyList<CompatibilityRecord>> ListAsync(RecordQuery query, CancellationToken ct)
    {
        var (where, parameters) = Filter(query);
        return QueryFilteredAsync($"SELECT record_json FROM records {where} ORDER BY recorded_at DESC LIMIT $limit", ct, parameters);
    }

    public async Task<IReadOnlyList<RecordFacts>> ListFactsAsync(RecordQuery query, CancellationToken ct)
    {
        var (where, parameters) = Filter(query);
        await using var connection = Open();
        var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT build_id, idempotency_key, plan_id, manifest_id, platform, status, reason, test_suite_hash, image,
                   json_extract(record_json, '$.template_version'), json_extract(record_json, '$.base_digest'), json_extract(record_json, '$.modules'), recorded_at
            FROM records {where} ORDER BY recorded_at DESC LIMIT $limit
            """;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = new List<RecordFacts>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add(new RecordFacts
            {
                BuildId = Guid.Parse(reader.GetString(0)),
                IdempotencyKey = reader.GetString(1),
                PlanId = reader.GetString(2),
                ManifestId = reader.GetString(3),
                Platform = reader.GetString(4),
                Status = reader.GetString(5),
                Reason = reader.IsDBNull(6) ? null : reader.GetString(6),
                TestSuiteHash = reader.GetString(7),
                Image = reader.IsDBNull(8) ? null : reader.GetString(8),
                TemplateVersion = reader.GetString(9),
                BaseDigest = reader.GetString(10),
                Modules = JsonSerializer.Deserialize<List<ModuleSelection>>(reader.GetString(11), FactoryJson.Options)!,
                RecordedAt = DateTimeOffset.Parse(reader.GetString(12), System.Globalization.CultureInfo.InvariantCulture),
            });
        return result;
    }

    public async Task<RecordCandidates> FindByPrefixAsync(RecordPrefix prefix, int limit, CancellationToken ct)
    {
        await using var connection = Open();
        var keys = connection.CreateCommand();
        keys.CommandText = "SELECT DISTINCT idempotency_key FROM records WHERE idempotency_key >= $low AND idempotency_key < $high ORDER BY idempotency_key LIMIT $limit";
        keys.Parameters.AddWithValue("$low", prefix.Text);
        keys.Parameters.AddWithValue("$high", prefix.KeyUpperBound);
        keys.Parameters.AddWithValue("$limit", limit);
        var foundKeys = new List<string>();
        await using (var reader = await keys.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) foundKeys.Add(reader.GetString(0));
        var foundBuilds = new List<Guid>();
        if (prefix.LowestBuildId is { } low && prefix.HighestBuildId is { } high)
        {
            var builds = connection.CreateCommand();
            builds.CommandText = "SELECT build_id FROM records WHERE build_id BETWEEN $low AND $high ORDER BY build_id LIMIT $limit";
            builds.Parameters.AddWithValue("$low", low.ToString());
            builds.Parameters.AddWithValue("$high", high.ToString());
            builds.Parameters.AddWithValue("$limit", limit);
            await using var reader = await builds.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) foundBuilds.Add(Guid.Parse(reader.GetString(0)));
        }
        return new RecordCandidates(foundKeys, foundBuilds);
    }

    /// <summary>Only the filters given become conditions, so the indexes on manifest and key serve them.</summary>
    private static (string Where, List<(string, object)> Parameters) Filter(RecordQuery query)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object)> { ("$limit", query.Limit) };
        void Add(string column, string op, string name, object? value)
        {
            if (value is null) return;
            conditions.Add($"{column} {op} {name}");
            parameters.Add((name, value));
        }
        Add("manifest_id", "=", "$manifest", query.ManifestId);
        Add("status", "=", "$status", query.Status);
        Add("plan_id", "=", "$plan", query.PlanId);
        Add("platform", "=", "$platform", query.Platform);
        Add("recorded_at", ">=", "$since", query.Since?.ToUniversalTime().ToString("O"));
        Add("recorded_at", "<", "$until", query.Until?.ToUniversalTime().ToString("O"));
        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), parameters);
    }

    public Task<IReadOnlyList<CompatibilityRecord>> GetManyAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct) =>
        QueryAsync("SELECT record_json FROM records WHERE build_id IN (SELECT value FROM json_each($p0))", ct, JsonSerializer.Serialize(buildIds.Select(b => b.ToString())));

    public Task<IReadOnlyList<RecordSummary>> FindSummariesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken ct) =>
        SummariesAsync("idempotency_key IN (SELECT value FROM json_each($p0))", JsonSerializer.Serialize(idempotencyKeys), ct);

    public Task<IReadOnlyList<RecordSummary>> GetSummariesAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct) =>
        SummariesAsync("build_id IN (SELECT value FROM json_each($p0))", JsonSerializer.Serialize(buildIds.Select(b => b.ToString())), ct);

    public async Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(IReadOnlyCollection<(string Name, string Version)> modules,
        CancellationToken ct)
    {
        await using var connection = Open();
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.name, m.version, m.content_digest FROM module_digests m
            JOIN json_each($p0) j ON m.name = json_extract(j.value, '$[0]') AND m.version = json_extract(j.value, '$[1]')
            """;
        command.Parameters.AddWithValue("$p0", JsonSerializer.Serialize(modules.Select(m => new[] { m.Name, m.Version })));
        var result = new Dictionary<(string, string), string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        return result;
    }

    private async Task<IReadOnlyList<RecordSummary>> SummariesAsync(string where, string values, CancellationToken ct)
    {
        await using var connection = Open();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT build_id, idempotency_key, status, reason, test_suite_hash, image, recorded_at, signed_by FROM records WHERE {where}";
        command.Parameters.AddWithValue("$p0", values);
        var result = new List<RecordSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add(new RecordSummary(Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), DateTimeOffset.Parse(reader.GetString(6), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        return result;
    }

    public async Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(CancellationToken ct)
    {
        await using var connection = Open();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT name, version, content_digest FROM module_digests";
        var result = new Dictionary<(string, string), string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        return result;
    }

    private Task<IReadOnlyList<CompatibilityRecord>> QueryFilteredAsync(string sql, CancellationToken ct, List<(string, object)> parameters) =>
        ReadRecordsAsync(sql, ct, command => { foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value); });

    private Task<IReadOnlyList<CompatibilityRecord>> QueryAsync(string sql, CancellationToken ct, params object?[] parameters) =>
        ReadRecordsAsync(sql, ct, command => { for (var i = 0; i < parameters.Length; i++) command.Parameters.AddWithValue($"$p{i}", parameters[i] ?? DBNull.Value); });

    private async Task<IReadOnlyList<CompatibilityRecord>> ReadRecordsAsync(string sql, CancellationToken ct, Action<SqliteCommand> bind)
    {
        await using var connection = Open();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var result = new List<CompatibilityRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add(JsonSerializer.Deserialize<CompatibilityRecord>(reader.GetString(0), FactoryJson.Options)!);
        return result;
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction tx, Guid buildId, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT 1 FROM records WHERE build_id = $build";
        command.Parameters.AddWithValue("$build", buildId.ToString());
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(temp, content, ct);
        File.Move(temp, path, overwrite: true);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
