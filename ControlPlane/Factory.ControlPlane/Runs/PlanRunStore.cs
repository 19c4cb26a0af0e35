using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Messages;
using Factory.Records;
using Npgsql;

namespace Factory.ControlPlane.Runs;

public sealed record PlanRunRow(Guid Id, string PlanId, string ManifestId, int Priority, int? Concurrency, DateTimeOffset SubmittedAt);

public sealed record PlanItemRow(Guid RunId, int Seq, WorkItem Item, string State, string? DispatchKind, Guid? BuildId,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, string? ExecutorId = null);

public sealed record ExecutorRow(string ExecutorId, string Pool, string Host, int Concurrency, int Busy, DateTimeOffset LastSeen);

/// <summary>
/// The control plane's state in PostgreSQL: submitted plans and their items, the keys in flight (one build
/// per key, whoever asks), and the executors heard from.
/// </summary>
public sealed class PlanRunStore(NpgsqlDataSource dataSource)
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS plan_runs (
            id uuid PRIMARY KEY,
            plan_id text NOT NULL,
            manifest_id text NOT NULL,
            priority int NOT NULL,
            concurrency int,
            submitted_at timestamptz NOT NULL,
            completed_at timestamptz);
        CREATE TABLE IF NOT EXISTS plan_items (
            run_id uuid NOT NULL REFERENCES plan_runs (id),
            seq int NOT NULL,
            idempotency_key text NOT NULL,
            item jsonb NOT NULL,
            state text NOT NULL,
            dispatch_kind text,
            build_id uuid,
            started_at timestamptz,
            finished_at timestamptz,
            error jsonb,
            executor_id text,
            PRIMARY KEY (run_id, seq));
        ALTER TABLE plan_items ADD COLUMN IF NOT EXISTS executor_id text;
        ALTER TABLE plan_items ADD COLUMN IF NOT EXISTS sent_at timestamptz;
        ALTER TABLE plan_items ADD COLUMN IF NOT EXISTS queued_at timestamptz;
        ALTER TABLE plan_items ADD COLUMN IF NOT EXISTS reuse_image text;
        CREATE INDEX IF NOT EXISTS plan_items_by_build ON plan_items (build_id);
        CREATE INDEX IF NOT EXISTS plan_items_pending ON plan_items (run_id) WHERE state = 'pending';
        CREATE TABLE IF NOT EXISTS in_flight (
            idempotency_key text PRIMARY KEY,
            build_id uuid NOT NULL,
            test_suite_hash text NOT NULL,
            dispatched_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS executors (
            executor_id text NOT NULL,
            pool text NOT NULL,
            host text NOT NULL,
            concurrency int NOT NULL,
            busy int NOT NULL,
            last_seen timestamptz NOT NULL,
            PRIMARY KEY (executor_id, pool));
        """;

    public NpgsqlDataSource DataSource => dataSource;

    public Task EnsureSchemaAsync(CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await Factory.Records.PostgresSchema.EnsureAsync(dataSource, Schema, ct);
            return 0;
        });

    public Task CreateRunAsync(PlanRunRow run, IReadOnlyList<WorkItem> items, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await Execute(connection, tx, "INSERT INTO plan_runs (id, plan_id, manifest_id, priority, concurrency, submitted_at) VALUES ($1, $2, $3, $4, $5, $6)", ct,
                run.Id, run.PlanId, run.ManifestId, run.Priority, (object?)run.Concurrency ?? DBNull.Value, run.SubmittedAt.ToUniversalTime());
            for (var seq = 0; seq < items.Count; seq++)
                await Execute(connection, tx, "INSERT INTO plan_items (run_id, seq, idempotency_key, item, state) VALUES ($1, $2, $3, $4::jsonb, 'pending')", ct,
                    run.Id, seq, items[seq].IdempotencyKey, JsonSerializer.Serialize(items[seq], FactoryJson.Options));
            await tx.CommitAsync(ct);
            return 0;
        });

    public Task<PlanRunRow?> GetRunAsync(Guid id, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand("SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at FROM plan_runs WHERE id = $1");
            command.Parameters.AddWithValue(id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadRun(reader) : null;
        });

    public Task<IReadOnlyList<PlanItemRow>> GetItemsAsync(Guid runId, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT run_id, seq, item, state, dispatch_kind, build_id, started_at, finished_at, error, executor_id FROM plan_items WHERE run_id = $1 ORDER BY seq");
            command.Parameters.AddWithValue(runId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var items = new List<PlanItemRow>();
            while (await reader.ReadAsync(ct)) items.Add(ReadItem(reader));
            return (IReadOnlyList<PlanItemRow>)items;
        });

    public Task<IReadOnlyList<PlanRunRow>> ListRunsAsync(int limit, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand("SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at FROM plan_runs ORDER BY submitted_at DESC LIMIT $1");
            command.Parameters.AddWithValue(limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var runs = new List<PlanRunRow>();
            while (await reader.ReadAsync(ct)) runs.Add(ReadRun(reader));
            return (IReadOnlyList<PlanRunRow>)runs;
        });

    public Task MarkStartedAsync(Guid buildId, DateTimeOffset at, string executorId, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand(
                // The start and the record travel on different queues: keep the start even when the record came first,
                // and the latest start when an item was redelivered to another executor.
                """
                UPDATE plan_items SET started_at = $2, executor_id = $3, state = CASE WHEN state = 'queued' THEN 'running' ELSE state END
                WHERE build_id = $1 AND (started_at IS NULL OR started_at < $2)
                """);
            command.Parameters.AddWithValue(buildId);
            command.Parameters.AddWithValue(at.ToUniversalTime());
            command.Parameters.AddWithValue(executorId);
            await command.ExecuteNonQueryAsync(ct);
            return 0;
        });

    /// <summary>A record landed for a build: every item waiting on it (in any plan) takes the record's status, the key leaves flight.</summary>
    public Task CompleteBuildAsync(Guid buildId, string key, string status, CancellationToken ct) =>
        FinishBuildAsync(buildId, key, status, null, ct);

    /// <summary>A build was given up on: its items are dead-lettered (a replay can still complete them), the key leaves flight.</summary>
    public Task DeadLetterBuildAsync(Guid buildId, string key, string errorJson, CancellationToken ct) =>
        FinishBuildAsync(buildId, key, ItemState.DeadLettered, errorJson, ct);

    private Task FinishBuildAsync(Guid buildId, string key, string state, string? errorJson, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await Execute(connection, tx, "DELETE FROM in_flight WHERE idempotency_key = $1 AND build_id = $2", ct, key, buildId);
            var from = state == ItemState.DeadLettered ? "('queued', 'running')" : "('queued', 'running', 'dead_lettered')";
            await Execute(connection, tx,
                $"UPDATE plan_items SET state = $2, finished_at = now(), error = $3::jsonb WHERE build_id = $1 AND state IN {from}", ct,
                buildId, state, (object?)errorJson ?? DBNull.Value);
            await Execute(connection, tx, """
                UPDATE plan_runs r SET completed_at = now()
                WHERE r.completed_at IS NULL
                  AND r.id IN (SELECT run_id FROM plan_items WHERE build_id = $1)
                  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = r.id AND i.state IN ('pending', 'queued', 'running'))
                """, ct, buildId);
            await tx.CommitAsync(ct);
            return 0;
        });

    public Task RecordHeartbeatAsync(ExecutorHeartbeat beat, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO executors (executor_id, pool, host, concurrency, busy, last_seen) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (executor_id, pool) DO UPDATE SET host = $3, concurrency = $4, busy = $5, last_seen = GREATEST(executors.last_seen, $6)
                """);
            command.Parameters.AddWithValue(beat.ExecutorId);
            command.Parameters.AddWithValue(beat.Pool);
            command.Parameters.AddWithValue(beat.Host);
            command.Parameters.AddWithValue(beat.Concurrency);
            command.Parameters.AddWithValue(beat.Busy);
            command.Parameters.AddWithValue(beat.SentAt.ToUniversalTime());
            await command.ExecuteNonQueryAsync(ct);
            return 0;
        });

    public Task<IReadOnlyList<ExecutorRow>> ListExecutorsAsync(TimeSpan seenWithin, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT executor_id, pool, host, concurrency, busy, last_seen FROM executors WHERE last_seen > now() - $1 ORDER BY pool, executor_id");
            command.Parameters.AddWithValue(seenWithin);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<ExecutorRow>();
            while (await reader.ReadAsync(ct))
                rows.Add(new ExecutorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)));
            return (IReadOnlyList<ExecutorRow>)rows;
        });

    internal static PlanRunRow ReadRun(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.GetFieldValue<DateTimeOffset>(5));

    internal static PlanItemRow ReadItem(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetInt32(1), JsonSerializer.Deserialize<WorkItem>(r.GetString(2), FactoryJson.Options)!, r.GetString(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetGuid(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
            r.IsDBNull(8) ? null : r.GetString(8), r.FieldCount > 9 && !r.IsDBNull(9) ? r.GetString(9) : null);

    internal static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(ct);
    }
}
