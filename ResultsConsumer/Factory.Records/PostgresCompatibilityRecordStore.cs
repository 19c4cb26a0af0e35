using System.Text.Json;
using Factory.Contracts;
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

    public async Task<bool> SaveAsync(CompatibilityRecord record, CancellationToken ct)
    {
        return await PostgresFailures.Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO records (build_id, idempotency_key, plan_id, manifest_id, platform, status, reason, test_suite_hash, recorded_at, record, image)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
                ON CONFLICT (build_id) DO NOTHING
                """, connection, tx);
            insert.Parameters.AddWithValue(record.BuildId);
            insert.Parameters.AddWithValue(record.IdempotencyKey);
            insert.Parameters.AddWithValue(record.PlanId);
            insert.Parameters.AddWithValue(record.ManifestId);
            insert.Parameters.AddWithValue(record.Platform);
            insert.Parameters.AddWithValue(record.Status);
            insert.Parameters.AddWithValue((object?)record.Reason ?? DBNull.Value);
            insert.Parameters.AddWithValue(record.TestSuiteHash);
            insert.Parameters.AddWithValue(record.RecordedAt.ToUniversalTime());
            insert.Parameters.AddWithValue(JsonSerializer.Serialize(record, FactoryJson.Options));
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)record.Image ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            var inserted = await insert.ExecuteNonQueryAsync(ct) == 1;
            // Every module's first digest in one statement, not one round trip per module.
            await using (var digests = new NpgsqlCommand("""
                INSERT INTO module_digests (name, version, content_digest, first_build_id)
                SELECT m.name, m.version, m.digest, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS m(name, version, digest)
                ON CONFLICT DO NOTHING
                """, connection, tx))
            {
                digests.Parameters.Add(new NpgsqlParameter { Value = record.Modules.Select(m => m.Name).ToArray() });
                digests.Parameters.Add(new NpgsqlParameter { Value = record.Modules.Select(m => m.Version).ToArray() });
                digests.Parameters.Add(new NpgsqlParameter { Value = record.Modules.Select(m => m.ContentDigest).ToArray() });
                digests.Parameters.Add(new NpgsqlParameter { Value = record.BuildId });
                await digests.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return inserted;
        });
    }

    public async Task<CompatibilityRecord?> GetAsync(Guid buildId, CancellationToken ct) =>
        (await QueryAsync("SELECT record FROM records WHERE build_id = $1", ct, buildId)).FirstOrDefault();

    public Task<IReadOnlyList<CompatibilityRecord>> FindByKeyAsync(string idempotencyKey, CancellationToken ct) =>
        QueryAsync("SELECT record FROM records WHERE idempotency_key = $1 ORDER BY recorded_at DESC", ct, idempotencyKey);

    public Task<IReadOnlyList<CompatibilityRecord>> ListAsync(RecordQuery query, CancellationToken ct) =>
        QueryAsync("""
            SELECT record FROM records
            WHERE ($1::text IS NULL OR manifest_id = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR plan_id = $3)
            ORDER BY recorded_at DESC LIMIT $4
            """, ct, query.ManifestId, query.Status, query.PlanId, query.Limit);

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
                $"SELECT build_id, idempotency_key, status, reason, test_suite_hash, image, recorded_at FROM records WHERE {where}");
            command.Parameters.Add(new NpgsqlParameter { Value = values });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var result = new List<RecordSummary>();
            while (await reader.ReadAsync(ct))
                result.Add(new RecordSummary(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
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
