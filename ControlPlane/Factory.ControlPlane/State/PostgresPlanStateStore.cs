using System.Text.Json;
using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Contracts;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Records;
using Npgsql;
using NpgsqlTypes;

namespace Factory.ControlPlane.State;

/// <summary>
/// The fleet's plan state in PostgreSQL. Concurrency: a dispatch pass takes a transaction-scoped advisory lock per
/// plan it looks at (so one plan's budget is never spent twice), then share-locks the in-flight rows of its
/// candidates' keys (so a build cannot end between the snapshot and an attach to it). There is no lock across all
/// plans: two passes claiming one key meet at in_flight's primary key, and the loser's item attaches on the next pass.
/// Every statement works on sets (arrays, COPY), never one row per round trip.
/// </summary>
public sealed class PostgresPlanStateStore(NpgsqlDataSource dataSource) : IPlanStateStore
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
        ALTER TABLE plan_items ADD COLUMN IF NOT EXISTS queued_at timestamptz;
        ALTER TABLE plan_items ADD COLUMN IF NOT EXISTS attempt int;
        CREATE INDEX IF NOT EXISTS plan_items_by_build ON plan_items (build_id);
        DROP INDEX IF EXISTS plan_items_pending;
        CREATE INDEX IF NOT EXISTS plan_items_pending_by_seq ON plan_items (run_id, seq) WHERE state = 'pending';
        CREATE INDEX IF NOT EXISTS plan_items_pending_by_key ON plan_items (idempotency_key) WHERE state = 'pending';
        CREATE INDEX IF NOT EXISTS plan_items_in_flight ON plan_items (run_id) WHERE state IN ('queued', 'running');
        CREATE TABLE IF NOT EXISTS in_flight (
            idempotency_key text PRIMARY KEY,
            build_id uuid NOT NULL,
            test_suite_hash text NOT NULL,
            dispatched_at timestamptz NOT NULL);
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS pool text NOT NULL DEFAULT '';
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'queued';
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS attempt int NOT NULL DEFAULT 1;
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS command jsonb;
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS executor_id text;
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz NOT NULL DEFAULT now();
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS started_at timestamptz;
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS handed_back_by text;
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS handed_back_attempt int;
        ALTER TABLE in_flight ADD COLUMN IF NOT EXISTS handed_back_at timestamptz;
        CREATE INDEX IF NOT EXISTS in_flight_by_build ON in_flight (build_id);
        CREATE INDEX IF NOT EXISTS in_flight_by_lease ON in_flight (lease_expires_at);
        CREATE TABLE IF NOT EXISTS executors (
            executor_id text NOT NULL,
            pool text NOT NULL,
            host text NOT NULL,
            concurrency int NOT NULL,
            busy int NOT NULL,
            last_seen timestamptz NOT NULL,
            PRIMARY KEY (executor_id, pool));
        """;

    private const string ItemColumns = "run_id, seq, item::text, state, dispatch_kind, build_id, queued_at, started_at, finished_at, error::text, executor_id, attempt";

    public Task EnsureSchemaAsync(CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await PostgresSchema.EnsureAsync(dataSource, Schema, ct);
            return 0;
        });

    public Task CreateRunAsync(PlanRunRow run, IReadOnlyList<NewPlanItem> items, DateTimeOffset now, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var completed = items.All(i => i.ReusedBuildId is not null);
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO plan_runs (id, plan_id, manifest_id, priority, concurrency, submitted_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", connection, tx))
            {
                insert.Parameters.Add(new() { Value = run.Id });
                insert.Parameters.Add(new() { Value = run.PlanId });
                insert.Parameters.Add(new() { Value = run.ManifestId });
                insert.Parameters.Add(new() { Value = run.Priority });
                insert.Parameters.Add(new() { Value = (object?)run.Concurrency ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
                insert.Parameters.Add(new() { Value = run.SubmittedAt.ToUniversalTime() });
                insert.Parameters.Add(new() { Value = completed ? now.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await insert.ExecuteNonQueryAsync(ct);
            }
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY plan_items (run_id, seq, idempotency_key, item, state, dispatch_kind, build_id, finished_at) FROM STDIN (FORMAT BINARY)", ct))
            {
                for (var seq = 0; seq < items.Count; seq++)
                {
                    var (item, reused) = (items[seq].Item, items[seq].ReusedBuildId);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(run.Id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(seq, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(item.IdempotencyKey, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(JsonSerializer.Serialize(item, FactoryJson.Options), NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(reused is null ? ItemState.Pending : ItemState.Reused, NpgsqlDbType.Text, ct);
                    if (reused is { } b)
                    {
                        await copy.WriteAsync(DispatchKind.Reused, NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(b, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(now.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
                    }
                    else
                    {
                        await copy.WriteNullAsync(ct);
                        await copy.WriteNullAsync(ct);
                        await copy.WriteNullAsync(ct);
                    }
                }
                await copy.CompleteAsync(ct);
            }
            await tx.CommitAsync(ct);
            return 0;
        });

    public Task<DispatchOutcome> DispatchAsync(DispatchScope scope, DispatchDecider decide, DateTimeOffset now, LeaseOptions leases, int batch, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            if (scope.IsEmpty) return DispatchOutcome.None;
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var runIds = scope.RunIds?.ToArray() ?? await RunsWithPendingItemsAsync(connection, tx, ct);
            if (runIds.Length == 0) return DispatchOutcome.None;
            await LockRunsAsync(connection, tx, runIds, ct);

            var runs = await OpenRunsAsync(connection, tx, runIds, ct);
            var limits = runs.ToDictionary(r => r.Run.Id, r => DispatchBatch.LimitFor(r.Run.Concurrency, r.InFlight, batch));
            var pending = await PendingAsync(connection, tx, limits, ct);
            var candidates = runs.Select(r => new RunCandidate(r.Run.Id, r.Run.Priority, r.Run.SubmittedAt, r.Run.Concurrency, r.InFlight,
                pending.GetValueOrDefault(r.Run.Id) ?? [])).ToList();
            var keys = candidates.SelectMany(c => c.Pending).Select(p => p.Item.IdempotencyKey).Distinct().ToArray();
            var inFlight = await ShareLockInFlightAsync(connection, tx, keys, ct);
            var decisions = await decide(new DispatchSnapshot(now, candidates, inFlight, new Dictionary<string, IReadOnlyList<RecordSummary>>()), ct);

            var claims = decisions.OfType<ClaimBuild>().ToList();
            var won = await ClaimAsync(connection, tx, claims, now, leases, ct);
            var applied = DispatchBatch.Applicable(decisions, inFlight, won);
            await UpdateItemsAsync(connection, tx, applied, now, ct);
            var completed = await CompleteRunsAsync(connection, tx, applied.Where(a => a.Finished).Select(a => a.Decision.RunId).Distinct().ToArray(), now, ct);
            await tx.CommitAsync(ct);
            return DispatchBatch.Outcome(candidates, limits, decisions, applied, won, completed);
        });

    public Task MarkSentAsync(IReadOnlyCollection<Guid> buildIds, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        buildIds.Count == 0 ? Task.CompletedTask : ExecuteAsync(
            "UPDATE in_flight SET state = 'queued', lease_expires_at = $2 WHERE build_id = ANY($1) AND state = 'unsent'", ct,
            buildIds.ToArray(), (now + leases.Queued).ToUniversalTime());

    public Task MarkStartedAsync(IReadOnlyList<WorkItemStarted> started, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        started.Count == 0 ? Task.CompletedTask : PostgresFailures.Guard(async () =>
        {
            var latest = EventBatches.LatestStarts(started);
            var (ids, executors, at, attempts) = (latest.Select(s => s.BuildId).ToArray(), latest.Select(s => s.ExecutorId).ToArray(),
                latest.Select(s => s.StartedAt.ToUniversalTime()).ToArray(), latest.Select(s => s.Attempt).ToArray());
            await using var batch = dataSource.CreateBatch();
            // Starts, hand-backs and records travel on different queues, in any order: the latest start holds the lease,
            // and a start that its own executor has since handed back is stale.
            batch.BatchCommands.Add(Command("""
                UPDATE in_flight f SET state = 'running', executor_id = s.executor, lease_expires_at = $5, started_at = s.at
                FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[]) AS s(build_id, executor, at, attempt)
                WHERE f.build_id = s.build_id AND (f.started_at IS NULL OR f.started_at < s.at)
                    AND NOT (f.handed_back_by IS NOT DISTINCT FROM s.executor AND f.handed_back_attempt = s.attempt AND f.handed_back_at >= s.at)
                """, ids, executors, at, attempts, (now + leases.Run).ToUniversalTime()));
            // The item keeps its start even when the record came first, and the latest start when delivered again.
            batch.BatchCommands.Add(Command("""
                UPDATE plan_items i SET started_at = s.at, executor_id = s.executor, attempt = GREATEST(i.attempt, s.attempt),
                    state = CASE WHEN i.state = 'queued' THEN 'running' ELSE i.state END
                FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[]) AS s(build_id, executor, at, attempt)
                WHERE i.build_id = s.build_id AND (i.started_at IS NULL OR i.started_at < s.at)
                    AND NOT EXISTS (SELECT 1 FROM in_flight f
                        WHERE f.build_id = s.build_id AND f.handed_back_by = s.executor AND f.handed_back_attempt = s.attempt AND f.handed_back_at >= s.at)
                """, ids, executors, at, attempts));
            await batch.ExecuteNonQueryAsync(ct);
            return 0;
        });

    public Task MarkHandedBackAsync(IReadOnlyList<WorkItemHandedBack> handedBack, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        handedBack.Count == 0 ? Task.CompletedTask : PostgresFailures.Guard(async () =>
        {
            var latest = EventBatches.LatestHandBacks(handedBack);
            // Kept even when the start it follows has not arrived yet, so that the start is known as stale when it does.
            await using var command = dataSource.CreateCommand("""
                WITH back AS (
                    UPDATE in_flight f SET
                        state = CASE WHEN f.state = 'running' AND f.executor_id = h.executor AND f.attempt = h.attempt THEN 'queued' ELSE f.state END,
                        lease_expires_at = CASE WHEN f.state = 'running' AND f.executor_id = h.executor AND f.attempt = h.attempt
                            THEN $4 ELSE f.lease_expires_at END,
                        handed_back_by = h.executor, handed_back_attempt = h.attempt, handed_back_at = h.at
                    FROM unnest($1::uuid[], $2::text[], $3::int[], $5::timestamptz[]) AS h(build_id, executor, attempt, at)
                    WHERE f.build_id = h.build_id AND (f.handed_back_at IS NULL OR f.handed_back_at < h.at)
                    RETURNING f.build_id, f.state = 'queued' AND f.executor_id IS NOT DISTINCT FROM h.executor AS queued_again)
                UPDATE plan_items i SET state = 'queued' FROM back WHERE back.queued_again AND i.build_id = back.build_id AND i.state = 'running'
                """);
            command.Parameters.Add(new() { Value = latest.Select(h => h.BuildId).ToArray() });
            command.Parameters.Add(new() { Value = latest.Select(h => h.ExecutorId).ToArray() });
            command.Parameters.Add(new() { Value = latest.Select(h => h.Attempt).ToArray() });
            command.Parameters.Add(new() { Value = (now + leases.Queued).ToUniversalTime() });
            command.Parameters.Add(new() { Value = latest.Select(h => h.HandedBackAt.ToUniversalTime()).ToArray() });
            await command.ExecuteNonQueryAsync(ct);
            return 0;
        });

    public Task<CompletionOutcome> CompleteBuildsAsync(IReadOnlyList<BuildCompletion> completions, DateTimeOffset now, CancellationToken ct) =>
        completions.Count == 0 ? Task.FromResult(CompletionOutcome.None) : PostgresFailures.Guard(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var outcome = await CompleteAsync(connection, tx, completions, now, ct);
            await tx.CommitAsync(ct);
            return outcome;
        });

    public Task RecordHeartbeatsAsync(IReadOnlyList<ExecutorHeartbeat> beats, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        beats.Count == 0 ? Task.CompletedTask : PostgresFailures.Guard(async () =>
        {
            var latest = EventBatches.LatestBeats(beats);
            var running = EventBatches.RunningBuilds(latest);
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(Command("""
                INSERT INTO executors (executor_id, pool, host, concurrency, busy, last_seen)
                SELECT b.executor_id, b.pool, b.host, b.concurrency, b.busy, $6
                FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) AS b(executor_id, pool, host, concurrency, busy)
                ON CONFLICT (executor_id, pool) DO UPDATE SET host = EXCLUDED.host, concurrency = EXCLUDED.concurrency, busy = EXCLUDED.busy,
                    last_seen = GREATEST(executors.last_seen, EXCLUDED.last_seen)
                """, latest.Select(b => b.ExecutorId).ToArray(), latest.Select(b => b.Pool).ToArray(), latest.Select(b => b.Host).ToArray(),
                latest.Select(b => b.Concurrency).ToArray(), latest.Select(b => b.Busy).ToArray(), now.ToUniversalTime()));
            if (running.Count > 0)
                batch.BatchCommands.Add(Command("""
                    UPDATE in_flight f SET state = 'running', executor_id = b.executor, lease_expires_at = GREATEST(f.lease_expires_at, $3)
                    FROM unnest($1::uuid[], $2::text[], $4::timestamptz[]) AS b(build_id, executor, sent_at)
                    WHERE f.build_id = b.build_id AND NOT (f.state = 'queued' AND f.executor_id IS NOT DISTINCT FROM b.executor)
                        AND NOT (f.handed_back_by IS NOT DISTINCT FROM b.executor AND f.handed_back_at >= b.sent_at)
                    """, running.Select(r => r.BuildId).ToArray(), running.Select(r => r.ExecutorId).ToArray(), (now + leases.Run).ToUniversalTime(),
                    running.Select(r => r.SentAt.ToUniversalTime()).ToArray()));
            await batch.ExecuteNonQueryAsync(ct);
            return 0;
        });

    public Task<LeaseOutcome> ReapAsync(LeaseDecider decide, DateTimeOffset now, LeaseOptions leases, int limit, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var lapsed = new List<LapsedBuild>();
            await using (var select = new NpgsqlCommand("""
                SELECT idempotency_key, build_id, state, attempt, pool, lease_expires_at FROM in_flight
                WHERE lease_expires_at < $1 ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
                """, connection, tx))
            {
                select.Parameters.Add(new() { Value = now.ToUniversalTime() });
                select.Parameters.Add(new() { Value = limit });
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    lapsed.Add(new LapsedBuild(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                        reader.GetFieldValue<DateTimeOffset>(5)));
            }
            if (lapsed.Count == 0) return LeaseOutcome.None;

            var decisions = await decide(lapsed, ct);
            var fromRecords = LeaseBatch.Completions(decisions);
            var completion = fromRecords.Count == 0 ? CompletionOutcome.None : await CompleteAsync(connection, tx, fromRecords, now, ct);

            var outbox = new List<ExecuteWorkItem>();
            var again = decisions.OfType<Redispatch>().ToList();
            if (again.Count > 0)
            {
                await using var redispatch = new NpgsqlCommand("""
                    UPDATE in_flight f SET state = 'unsent', attempt = a.attempt, executor_id = NULL, lease_expires_at = $3
                    FROM unnest($1::uuid[], $2::int[]) AS a(build_id, attempt) WHERE f.build_id = a.build_id
                    RETURNING f.command::text, a.attempt
                    """, connection, tx);
                redispatch.Parameters.Add(new() { Value = again.Select(r => r.Build.BuildId).ToArray() });
                redispatch.Parameters.Add(new() { Value = again.Select(r => r.Attempt).ToArray() });
                redispatch.Parameters.Add(new() { Value = (now + leases.Send).ToUniversalTime() });
                await using (var reader = await redispatch.ExecuteReaderAsync(ct))
                    while (await reader.ReadAsync(ct))
                        outbox.Add(LeaseBatch.Resend(reader.GetString(0), reader.GetInt32(1)));
                await using var requeue = new NpgsqlCommand("UPDATE plan_items SET state = 'queued' WHERE build_id = ANY($1) AND state = 'running'", connection, tx);
                requeue.Parameters.Add(new() { Value = again.Select(r => r.Build.BuildId).ToArray() });
                await requeue.ExecuteNonQueryAsync(ct);
            }
            var extend = decisions.OfType<ExtendLease>().ToList();
            if (extend.Count > 0)
            {
                await using var later = new NpgsqlCommand(
                    "UPDATE in_flight f SET lease_expires_at = a.until FROM unnest($1::uuid[], $2::timestamptz[]) AS a(build_id, until) WHERE f.build_id = a.build_id",
                    connection, tx);
                later.Parameters.Add(new() { Value = extend.Select(e => e.Build.BuildId).ToArray() });
                later.Parameters.Add(new() { Value = extend.Select(e => e.Until.ToUniversalTime()).ToArray() });
                await later.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return new LeaseOutcome(outbox, completion, lapsed.Count);
        });

    public Task<int?> CancelRunAsync(Guid id, DateTimeOffset now, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            // The plan's lock, as a dispatch pass takes it: no pass claims an item of the plan while it is being cancelled.
            await using (var lockRun = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
            {
                lockRun.Parameters.Add(new() { Value = RunLock(id) });
                await lockRun.ExecuteScalarAsync(ct);
            }
            await using var command = new NpgsqlCommand("""
                WITH run AS (UPDATE plan_runs SET completed_at = coalesce(completed_at, $2) WHERE id = $1 RETURNING id),
                     items AS (UPDATE plan_items SET state = 'cancelled', finished_at = $2
                               WHERE run_id IN (SELECT id FROM run) AND state IN ('pending', 'queued', 'running') RETURNING 1)
                SELECT (SELECT count(*) FROM run), (SELECT count(*) FROM items)
                """, connection, tx);
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = now.ToUniversalTime() });
            int? cancelled;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                cancelled = reader.GetInt64(0) == 0 ? null : (int)reader.GetInt64(1);
            }
            await tx.CommitAsync(ct);
            return cancelled;
        });

    public Task<PlanRunRow?> GetRunAsync(Guid id, CancellationToken ct) =>
        PostgresFailures.Guard(async () => (await RunsAsync("SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at, completed_at FROM plan_runs WHERE id = $1", ct, id)).FirstOrDefault());

    public Task<IReadOnlyList<PlanRunRow>> ListRunsAsync(int limit, CancellationToken ct) =>
        PostgresFailures.Guard(() => RunsAsync("SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at, completed_at FROM plan_runs ORDER BY submitted_at DESC LIMIT $1", ct, limit));

    public Task<IReadOnlyList<PlanItemRow>> GetItemsAsync(Guid runId, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand($"SELECT {ItemColumns} FROM plan_items WHERE run_id = $1 ORDER BY seq");
            command.Parameters.Add(new() { Value = runId });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var items = new List<PlanItemRow>();
            while (await reader.ReadAsync(ct)) items.Add(ReadItem(reader));
            return (IReadOnlyList<PlanItemRow>)items;
        });

    public Task<PlanRunCounts> CountItemsAsync(Guid runId, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand("SELECT state, dispatch_kind, count(*)::int FROM plan_items WHERE run_id = $1 GROUP BY state, dispatch_kind");
            command.Parameters.Add(new() { Value = runId });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<(string, string?, int)>();
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2)));
            return PlanRunCountsOf.Rows(rows);
        });

    public Task<IReadOnlyList<ExecutorRow>> ListExecutorsAsync(DateTimeOffset seenSince, CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT executor_id, pool, host, concurrency, busy, last_seen FROM executors WHERE last_seen > $1 ORDER BY pool, executor_id");
            command.Parameters.Add(new() { Value = seenSince.ToUniversalTime() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<ExecutorRow>();
            while (await reader.ReadAsync(ct))
                rows.Add(new ExecutorRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)));
            return (IReadOnlyList<ExecutorRow>)rows;
        });

    public Task<IReadOnlyList<BuildInFlightRow>> ListInFlightAsync(CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT idempotency_key, build_id, pool, state, attempt, executor_id, dispatched_at, lease_expires_at FROM in_flight ORDER BY dispatched_at");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<BuildInFlightRow>();
            while (await reader.ReadAsync(ct))
                rows.Add(new BuildInFlightRow(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
            return (IReadOnlyList<BuildInFlightRow>)rows;
        });

    // ------------------------------------------------------------------------------------------------ dispatch steps

    private static async Task<Guid[]> RunsWithPendingItemsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT DISTINCT run_id FROM plan_items WHERE state = 'pending'", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return ids.ToArray();
    }

    /// <summary>One advisory lock per plan, taken in one order by every pass (no deadlock between passes).</summary>
    private static async Task LockRunsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] runIds, CancellationToken ct)
    {
        var locks = runIds.Select(RunLock).Distinct().Order().ToArray();
        await using var command = new NpgsqlCommand("SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k", connection, tx);
        command.Parameters.Add(new() { Value = locks });
        await command.ExecuteScalarAsync(ct);
    }

    private static long RunLock(Guid runId) => BitConverter.ToInt64(runId.ToByteArray(), 0);

    private static async Task<List<(PlanRunRow Run, int InFlight)>> OpenRunsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] runIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT r.id, r.plan_id, r.manifest_id, r.priority, r.concurrency, r.submitted_at, r.completed_at,
                   (SELECT count(*) FROM plan_items i WHERE i.run_id = r.id AND i.state IN ('queued', 'running'))::int
            FROM plan_runs r WHERE r.id = ANY($1) AND r.completed_at IS NULL
            """, connection, tx);
        command.Parameters.Add(new() { Value = runIds });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<(PlanRunRow, int)>();
        while (await reader.ReadAsync(ct)) runs.Add((ReadRun(reader), reader.GetInt32(7)));
        return runs;
    }

    private static async Task<Dictionary<Guid, IReadOnlyList<PendingItem>>> PendingAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        Dictionary<Guid, int> limits, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT p.run_id, p.seq, p.item::text FROM unnest($1::uuid[], $2::int[]) AS r(id, lim)
            CROSS JOIN LATERAL (SELECT i.run_id, i.seq, i.item FROM plan_items i WHERE i.run_id = r.id AND i.state = 'pending' ORDER BY i.seq LIMIT r.lim) p
            """, connection, tx);
        command.Parameters.Add(new() { Value = limits.Keys.ToArray() });
        command.Parameters.Add(new() { Value = limits.Values.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var pending = new Dictionary<Guid, List<PendingItem>>();
        while (await reader.ReadAsync(ct))
        {
            var run = reader.GetGuid(0);
            if (!pending.TryGetValue(run, out var list)) pending[run] = list = [];
            list.Add(new PendingItem(reader.GetInt32(1), JsonSerializer.Deserialize<WorkItem>(reader.GetString(2), FactoryJson.Options)!));
        }
        return pending.ToDictionary(p => p.Key, p => (IReadOnlyList<PendingItem>)p.Value);
    }

    private static async Task<Dictionary<string, BuildInFlight>> ShareLockInFlightAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] keys, CancellationToken ct)
    {
        var result = new Dictionary<string, BuildInFlight>(StringComparer.Ordinal);
        if (keys.Length == 0) return result;
        await using var command = new NpgsqlCommand(
            "SELECT idempotency_key, build_id, test_suite_hash FROM in_flight WHERE idempotency_key = ANY($1) ORDER BY idempotency_key FOR SHARE", connection, tx);
        command.Parameters.Add(new() { Value = keys });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetString(0)] = new BuildInFlight(reader.GetString(0), reader.GetGuid(1), reader.GetString(2));
        return result;
    }

    /// <summary>
    /// Inserts the claims; returns the build ids that won their key (another pass may have claimed it first). In key
    /// order, as every pass does: two passes waiting on each other's uncommitted keys would deadlock otherwise.
    /// </summary>
    private static async Task<HashSet<Guid>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<ClaimBuild> unordered, DateTimeOffset now,
        LeaseOptions leases, CancellationToken ct)
    {
        var won = new HashSet<Guid>();
        if (unordered.Count == 0) return won;
        var claims = unordered.OrderBy(c => c.IdempotencyKey, StringComparer.Ordinal).ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO in_flight (idempotency_key, build_id, test_suite_hash, pool, command, dispatched_at, state, attempt, lease_expires_at)
            SELECT c.key, c.build_id, c.suite, c.pool, c.command::jsonb, $6, 'unsent', 1, $7
            FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[]) AS c(key, build_id, suite, pool, command)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING build_id
            """, connection, tx);
        command.Parameters.Add(new() { Value = claims.Select(c => c.IdempotencyKey).ToArray() });
        command.Parameters.Add(new() { Value = claims.Select(c => c.BuildId).ToArray() });
        command.Parameters.Add(new() { Value = claims.Select(c => c.Command.Item.TestSuiteHash).ToArray() });
        command.Parameters.Add(new() { Value = claims.Select(c => c.Command.Item.Pool).ToArray() });
        command.Parameters.Add(new() { Value = claims.Select(c => JsonSerializer.Serialize(c.Command, FactoryJson.Options)).ToArray() });
        command.Parameters.Add(new() { Value = now.ToUniversalTime() });
        command.Parameters.Add(new() { Value = (now + leases.Send).ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) won.Add(reader.GetGuid(0));
        return won;
    }

    private static async Task UpdateItemsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<AppliedDecision> applied, DateTimeOffset now, CancellationToken ct)
    {
        if (applied.Count == 0) return;
        await using var command = new NpgsqlCommand("""
            UPDATE plan_items i SET state = u.state, dispatch_kind = u.kind, build_id = u.build_id,
                queued_at = CASE WHEN u.finished THEN i.queued_at ELSE $7 END, finished_at = CASE WHEN u.finished THEN $7 ELSE NULL END
            FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::uuid[], $6::bool[]) AS u(run_id, seq, state, kind, build_id, finished)
            WHERE i.run_id = u.run_id AND i.seq = u.seq AND i.state = 'pending'
            """, connection, tx);
        command.Parameters.Add(new() { Value = applied.Select(a => a.Decision.RunId).ToArray() });
        command.Parameters.Add(new() { Value = applied.Select(a => a.Decision.Seq).ToArray() });
        command.Parameters.Add(new() { Value = applied.Select(a => a.State).ToArray() });
        command.Parameters.Add(new() { Value = applied.Select(a => a.Kind).ToArray() });
        command.Parameters.Add(new() { Value = applied.Select(a => a.BuildId).ToArray() });
        command.Parameters.Add(new() { Value = applied.Select(a => a.Finished).ToArray() });
        command.Parameters.Add(new() { Value = now.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<Guid>> CompleteRunsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] runIds, DateTimeOffset now, CancellationToken ct)
    {
        var completed = new List<Guid>();
        if (runIds.Length == 0) return completed;
        await using var command = new NpgsqlCommand("""
            UPDATE plan_runs r SET completed_at = $2 WHERE r.id = ANY($1) AND r.completed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = r.id AND i.state IN ('pending', 'queued', 'running'))
            RETURNING r.id
            """, connection, tx);
        command.Parameters.Add(new() { Value = runIds });
        command.Parameters.Add(new() { Value = now.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) completed.Add(reader.GetGuid(0));
        return completed;
    }

    private static async Task<CompletionOutcome> CompleteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<BuildCompletion> completions,
        DateTimeOffset now, CancellationToken ct)
    {
        var distinct = EventBatches.OnePerBuild(completions);
        var finishedRuns = new HashSet<Guid>();
        var waiting = new HashSet<Guid>();
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            // Rows locked in key order, as a dispatch pass share-locks them: no deadlock between the two.
            batch.BatchCommands.Add(Command("SELECT build_id FROM in_flight WHERE build_id = ANY($1) ORDER BY idempotency_key FOR UPDATE", distinct.Select(c => c.BuildId).ToArray()));
            batch.BatchCommands.Add(Command("DELETE FROM in_flight WHERE build_id = ANY($1)", distinct.Select(c => c.BuildId).ToArray()));
            // A record completes items that were dead-lettered too (a replayed build); a dead letter completes only open ones.
            batch.BatchCommands.Add(Command("""
                UPDATE plan_items i SET state = c.state, finished_at = $4, error = c.error::jsonb
                FROM unnest($1::uuid[], $2::text[], $3::text[]) AS c(build_id, state, error)
                WHERE i.build_id = c.build_id AND (i.state IN ('queued', 'running') OR (i.state = 'dead_lettered' AND c.state <> 'dead_lettered'))
                RETURNING i.run_id
                """, distinct.Select(c => c.BuildId).ToArray(), distinct.Select(c => c.State).ToArray(),
                distinct.Select(c => c.ErrorJson).ToArray(), now.ToUniversalTime()));
            // What this can unblock: plans waiting on these keys (another suite), and plans of the finished items that
            // still have pending items (budget freed). Plans with nothing pending need no pass.
            batch.BatchCommands.Add(Command("SELECT DISTINCT run_id FROM plan_items WHERE idempotency_key = ANY($1) AND state = 'pending'",
                (object)distinct.Select(c => c.IdempotencyKey).Distinct().ToArray()));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) finishedRuns.Add(reader.GetGuid(0));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct)) waiting.Add(reader.GetGuid(0));
        }
        var completed = await CompleteRunsAsync(connection, tx, finishedRuns.ToArray(), now, ct);
        var stillPending = await RunsWithPendingAsync(connection, tx, finishedRuns.Except(completed).ToArray(), ct);
        return new CompletionOutcome(stillPending.Union(waiting).ToList(), completed);
    }

    private static async Task<List<Guid>> RunsWithPendingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] runIds, CancellationToken ct)
    {
        var runs = new List<Guid>();
        if (runIds.Length == 0) return runs;
        await using var command = new NpgsqlCommand(
            "SELECT r FROM unnest($1::uuid[]) AS r WHERE EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = r AND i.state = 'pending')", connection, tx);
        command.Parameters.Add(new() { Value = runIds });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) runs.Add(reader.GetGuid(0));
        return runs;
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private async Task<IReadOnlyList<PlanRunRow>> RunsAsync(string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<PlanRunRow>();
        while (await reader.ReadAsync(ct)) runs.Add(ReadRun(reader));
        return runs;
    }

    private Task ExecuteAsync(string sql, CancellationToken ct, params object[] parameters) =>
        PostgresFailures.Guard(async () =>
        {
            await using var command = dataSource.CreateCommand(sql);
            foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
            return await command.ExecuteNonQueryAsync(ct);
        });

    /// <summary>One statement of a batch. Pass a lone string[] as (object): params would spread it into parameters.</summary>
    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return command;
    }

    private static PlanRunRow ReadRun(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.GetFieldValue<DateTimeOffset>(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6));

    private static PlanItemRow ReadItem(NpgsqlDataReader r) => new()
    {
        RunId = r.GetGuid(0),
        Seq = r.GetInt32(1),
        Item = JsonSerializer.Deserialize<WorkItem>(r.GetString(2), FactoryJson.Options)!,
        State = r.GetString(3),
        DispatchKind = r.IsDBNull(4) ? null : r.GetString(4),
        BuildId = r.IsDBNull(5) ? null : r.GetGuid(5),
        QueuedAt = r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
        StartedAt = r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
        FinishedAt = r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
        Error = r.IsDBNull(9) ? null : r.GetString(9),
        ExecutorId = r.IsDBNull(10) ? null : r.GetString(10),
        Attempt = r.IsDBNull(11) ? null : r.GetInt32(11),
    };
}
