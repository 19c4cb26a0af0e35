using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Npgsql;

namespace Factory.Records;

/// <summary>
/// The distributed record index: one row per build in PostgreSQL (the record as jsonb plus indexed columns),
/// shared by the results consumer (writer) and the control plane (reuse decisions, read API).
/// </summary>
public sealed class PostgresCompatibilityRecordStore : ICompatibilityRecordStore
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresCompatibilityRecordStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public const string Schema = """
        CREATE TABLE IF NOT EXISTS records (
            build_id uuid PRIMARY KEY,
            idempotency_key text NOT NULL,
            plan_id text NOT NULL,
            manifest_id text NOT NULL,
            platform text NOT NULL,
            status text NOT NULL,
            reason text,
            test_suite_hash text NOT NULL,
            recorded_at timestamptz NOT NULL,
            record jsonb NOT NULL);
        ALTER TABLE records ADD COLUMN IF NOT EXISTS image text;
        ALTER TABLE records ADD COLUMN IF NOT EXISTS signed_by text;
        UPDATE records SET image = record->>'image' WHERE image IS NULL AND record->>'image' IS NOT NULL;
        CREATE INDEX IF NOT EXISTS records_by_key ON records (idempotency_key, recorded_at DESC);
        CREATE INDEX IF NOT EXISTS records_by_manifest ON records (manifest_id, recorded_at DESC);
        CREATE TABLE IF NOT EXISTS module_digests (
            name text NOT NULL,
            version text NOT NULL,
            content_digest text NOT NULL,
            first_build_id uuid NOT NULL,
            PRIMARY KEY (name, version));
        """;

    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await PostgresFailures.Guard(async () =>
        {
            await PostgresSchema.EnsureAsync(_dataSource, Schema, ct);
            return 0;
        });
    }

    public async Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct) => (await SaveManyAsync([record], ct))[0];

    /// <summary>
    /// The whole group in one statement: one round trip and one implicit transaction (a failure writes none of it).
    /// Rows go in key order, so that two writers whose groups overlap take their row locks in the same order.
    /// </summary>
    private const string SaveGroup = """
        WITH inserted AS (
            INSERT INTO records (build_id, idempotency_key, plan_id, manifest_id, platform, status, reason, test_suite_hash, recorded_at, record, image, signed_by)
            SELECT r.build_id, r.idempotency_key, r.plan_id, r.manifest_id, r.platform, r.status, r.reason, r.test_suite_hash, r.recorded_at, r.record::jsonb, r.image, r.signed_by
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
                AS r(build_id, idempotency_key, plan_id, manifest_id, platform, status, reason, test_suite_hash, recorded_at, record, image, signed_by)
            ORDER BY r.build_id
            ON CONFLICT (build_id) DO NOTHING
            RETURNING build_id),
        digests AS (
            INSERT INTO module_digests (name, version, content_digest, first_build_id)
            SELECT m.name, m.version, m.digest, m.build_id FROM unnest($13::text[], $14::text[], $15::text[], $16::uuid[]) AS m(name, version, digest, build_id)
            ORDER BY m.name, m.version
            ON CONFLICT DO NOTHING)
        SELECT build_id FROM inserted
        """;

    public async Task<IReadOnlyList<bool>> SaveManyAsync(IReadOnlyList<CompatibilityRecord> records, CancellationToken ct)
    {
        if (records.Count == 0) return [];
        var group = new RecordGroup(records);
        var inserted = await PostgresFailures.Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(SaveGroup);
            void Add<T>(Func<CompatibilityRecord, T> column) => command.Parameters.Add(new NpgsqlParameter { Value = group.Records.Select(column).ToArray() });
            void AddText(Func<CompatibilityRecord, string?> column) => command.Parameters.Add(new NpgsqlParameter
            {
                Value = group.Records.Select(column).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text,
            });
            Add(r => r.BuildId);
            AddText(r => r.IdempotencyKey);
            AddText(r => r.PlanId);
            AddText(r => r.ManifestId);
            AddText(r => r.Platform);
            AddText(r => r.Status);
            AddText(r => r.Reason);
            AddText(r => r.TestSuiteHash);
            Add(r => r.RecordedAt.ToUniversalTime());
            AddText(r => JsonSerializer.Serialize(r, FactoryJson.Options));
            AddText(r => r.Image);
            AddText(r => r.SignedBy);
            command.Parameters.Add(new NpgsqlParameter { Value = group.Digests.Select(d => d.Name).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = group.Digests.Select(d => d.Version).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = group.Digests.Select(d => d.ContentDigest).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = group.Digests.Select(d => d.FirstBuildId).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var ids = new HashSet<Guid>();
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
            return ids;
        });
        return group.Outcomes(inserted);
    }

    public async Task<CompatibilityRecord?> GetAsync(Guid buildId, CancellationToken ct) =>
        (await QueryAsync("SELECT record FROM records WHERE build_id = $1", ct, buildId)).FirstOrDefault();

    public Task<IReadOnlyList<CompatibilityRecord>> FindByKeyAsync(string idempotencyKey, CancellationToken ct) =>
        QueryAsync("SELECT record FROM records WHERE idempotency_key = $1 ORDER BY recorded_at DESC", ct, idempotencyKey);

    public Task<IReadOnlyList<CompatibilityRecord>> ListAsync(RecordQuery query, CancellationToken ct)
    {
        var (where, parameters) = Filter(query);
        return QueryAsync($"SELECT record FROM records {where} ORDER BY recorded_at DESC LIMIT $1", ct, parameters.ToArray());
    }

    public async Task<IReadOnlyList<RecordFacts>> ListFactsAsync(RecordQuery query, CancellationToken ct) =>
        await PostgresFailures.Guard(async () =>
        {
            var (where, parameters) = Filter(query);
            await using var command = _dataSource.CreateCommand($"""
                SELECT build_id, idempotency_key, plan_id, manifest_id, platform, status, reason, test_suite_hash, image,
                       record->>'template_version', record->>'base_digest', record->>'modules', recorded_at
                FROM records {where} ORDER BY recorded_at DESC LIMIT $1
                """);
            foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var result = new List<RecordFacts>();
            while (await reader.ReadAsync(ct))
                result.Add(new RecordFacts
                {
                    BuildId = reader.GetGuid(0),
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
                    RecordedAt = reader.GetFieldValue<DateTimeOffset>(12),
                });
            return (IReadOnlyList<RecordFacts>)result;
        });

    public async Task<RecordCandidates> FindByPrefixAsync(RecordPrefix prefix, int limit, CancellationToken ct) =>
        await PostgresFailures.Guard(async () =>
        {
            // Two range scans, one per index: the keys' and the build ids' (uuid order is the order of its text).
            await using var command = _dataSource.CreateCommand("""
                (SELECT DISTINCT idempotency_key, NULL::uuid FROM records WHERE idempotency_key >= $1 AND idempotency_key < $2 ORDER BY 1 LIMIT $3)
                UNION ALL
                (SELECT NULL, build_id FROM records WHERE $4::uuid IS NOT NULL AND build_id BETWEEN $4::uuid AND $5::uuid ORDER BY 2 LIMIT $3)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = prefix.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = prefix.KeyUpperBound });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)prefix.LowestBuildId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)prefix.HighestBuildId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var (keys, builds) = (new List<string>(), new List<Guid>());
            while (await reader.ReadAsync(ct))
                if (reader.IsDBNull(0)) builds.Add(reader.GetGuid(1));
                else keys.Add(reader.GetString(0));
            return new RecordCandidates(keys, builds);
        });

    /// <summary>Only the filters given become conditions, so the indexes on manifest and key serve them; $1 is the limit.</summary>
    private static (string Where, List<object> Parameters) Filter(RecordQuery query)
    {
        var conditions = new List<string>();
        var parameters = new List<object> { query.Limit };
        void Add(string column, string op, object? value)
        {
            if (value is null) return;
            parameters.Add(value);
            conditions.Add($"{column} {op} ${parameters.Count}");
        }
        Add("manifest_id", "=", query.ManifestId);
        Add("status", "=", query.Status);
        Add("plan_id", "=", query.PlanId);
        Add("platform", "=", query.Platform);
        Add("recorded_at", ">=", query.Since?.ToUniversalTime());
        Add("recorded_at", "<", query.Until?.ToUniversalTime());
        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), parameters);
    }

    public Task<IReadOnlyList<CompatibilityRecord>> GetManyAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct) =>
        buildIds.Count == 0 ? Task.FromResult<IReadOnlyList<CompatibilityRecord>>([]) : QueryAsync("SELECT record FROM records WHERE build_id = ANY($1)", ct, buildIds.ToArray());

    public Task<IReadOnlyList<RecordSummary>> FindSummariesAsync(IReadOnlyCollection<string> idempotencyKeys, CancellationToken ct) =>
        SummariesAsync("idempotency_key = ANY($1)", idempotencyKeys.ToArray(), ct);

    public Task<IReadOnlyList<RecordSummary>> GetSummariesAsync(IReadOnlyCollection<Guid> buildIds, CancellationToken ct) =>
        SummariesAsync("build_id = ANY($1)", buildIds.ToArray(), ct);

    public async Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(IReadOnlyCollection<(string Name, string Version)> modules,
        CancellationToken ct) =>
        await PostgresFailures.Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand("""
                SELECT m.name, m.version, m.content_digest FROM module_digests m
                JOIN unnest($1::text[], $2::text[]) AS u(name, version) ON m.name = u.name AND m.version = u.version
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = modules.Select(m => m.Name).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = modules.Select(m => m.Version).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var result = new Dictionary<(string, string), string>();
            while (await reader.ReadAsync(ct)) result[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            return (IReadOnlyDictionary<(string, string), string>)result;
        });

    private async Task<IReadOnlyList<RecordSummary>> SummariesAsync(string where, object values, CancellationToken ct) =>
        await PostgresFailures.Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(
                $"SELECT build_id, idempotency_key, status, reason, test_suite_hash, image, recorded_at, signed_by FROM records WHERE {where}");
            command.Parameters.Add(new NpgsqlParameter { Value = values });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var result = new List<RecordSummary>();
            while (await reader.ReadAsync(ct))
                result.Add(new RecordSummary(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            return (IReadOnlyList<RecordSummary>)result;
        });

    public async Task<IReadOnlyDictionary<(string Name, string Version), string>> GetModuleDigestsAsync(CancellationToken ct) =>
        await PostgresFailures.Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand("SELECT name, version, content_digest FROM module_digests");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var result = new Dictionary<(string, string), string>();
            while (await reader.ReadAsync(ct)) result[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            return (IReadOnlyDictionary<(string, string), string>)result;
        });

    private async Task<IReadOnlyList<CompatibilityRecord>> QueryAsync(string sql, CancellationToken ct, params object?[] parameters) =>
        await PostgresFailures.Guard(async () =>
        {
            await using var command = _dataSource.CreateCommand(sql);
            foreach (var p in parameters) command.Parameters.Add(p is null ? new NpgsqlParameter { Value = DBNull.Value } : new NpgsqlParameter { Value = p });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var result = new List<CompatibilityRecord>();
            while (await reader.ReadAsync(ct))
                result.Add(JsonSerializer.Deserialize<CompatibilityRecord>(reader.GetString(0), FactoryJson.Options)!);
            return (IReadOnlyList<CompatibilityRecord>)result;
        });
}
