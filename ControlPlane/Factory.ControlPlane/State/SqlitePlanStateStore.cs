using System.Text.Json;
using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Contracts;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Microsoft.Data.Sqlite;

namespace Factory.ControlPlane.State;

/// <summary>
/// The embedded default's plan state in &lt;state&gt;/plans.db. Every write is one IMMEDIATE transaction, serialized in
/// this process by a semaphore and across processes by SQLite's write lock (WAL, with a busy timeout), so a pass's
/// snapshot and what it applies cannot interleave with another write. Sets go in and out as JSON arrays (json_each).
/// </summary>
public sealed class SqlitePlanStateStore : IPlanStateStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS plan_runs (
            id TEXT PRIMARY KEY,
            plan_id TEXT NOT NULL,
            manifest_id TEXT NOT NULL,
            priority INTEGER NOT NULL,
            concurrency INTEGER,
            submitted_at TEXT NOT NULL,
            completed_at TEXT);
        CREATE TABLE IF NOT EXISTS plan_items (
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL,
            item TEXT NOT NULL,
            state TEXT NOT NULL,
            dispatch_kind TEXT,
            build_id TEXT,
            queued_at TEXT,
            started_at TEXT,
            finished_at TEXT,
            error TEXT,
            executor_id TEXT,
            attempt INTEGER,
            PRIMARY KEY (run_id, seq));
        CREATE INDEX IF NOT EXISTS plan_items_by_build ON plan_items (build_id);
        CREATE INDEX IF NOT EXISTS plan_items_pending_by_seq ON plan_items (run_id, seq) WHERE state = 'pending';
        CREATE INDEX IF NOT EXISTS plan_items_pending_by_key ON plan_items (idempotency_key) WHERE state = 'pending';
        CREATE INDEX IF NOT EXISTS plan_items_in_flight ON plan_items (run_id) WHERE state IN ('queued', 'running');
        CREATE TABLE IF NOT EXISTS in_flight (
            idempotency_key TEXT PRIMARY KEY,
            build_id TEXT NOT NULL,
            test_suite_hash TEXT NOT NULL,
            pool TEXT NOT NULL,
            command TEXT NOT NULL,
            dispatched_at TEXT NOT NULL,
            state TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            executor_id TEXT,
            lease_expires_at TEXT NOT NULL,
            started_at TEXT,
            handed_back_by TEXT,
            handed_back_attempt INTEGER,
            handed_back_at TEXT);
        CREATE INDEX IF NOT EXISTS in_flight_by_build ON in_flight (build_id);
        CREATE INDEX IF NOT EXISTS in_flight_by_lease ON in_flight (lease_expires_at);
        CREATE TABLE IF NOT EXISTS executors (
            executor_id TEXT NOT NULL,
            pool TEXT NOT NULL,
            host TEXT NOT NULL,
            concurrency INTEGER NOT NULL,
            busy INTEGER NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (executor_id, pool));
        """;

    private const string ItemColumns = "run_id, seq, item, state, dispatch_kind, build_id, queued_at, started_at, finished_at, error, executor_id, attempt";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _write = new(1, 1);

    public SqlitePlanStateStore(string stateDirectory)
    {
        var directory = Path.GetFullPath(stateDirectory);
        Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "plans.db"), Pooling = true, DefaultTimeout = 30,
        }.ToString();
    }

    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // Not prepared: a script's later statements name tables its earlier ones create.
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;" + Schema;
        command.ExecuteNonQuery();
        // A state directory made before starts and hand-backs were ordered (2026-12-02) lacks their columns.
        command.CommandText = "SELECT count(*) FROM pragma_table_info('in_flight') WHERE name = 'handed_back_at'";
        if (Convert.ToInt64(command.ExecuteScalar()) == 0)
        {
            command.CommandText = """
                ALTER TABLE in_flight ADD COLUMN started_at TEXT;
                ALTER TABLE in_flight ADD COLUMN handed_back_by TEXT;
                ALTER TABLE in_flight ADD COLUMN handed_back_attempt INTEGER;
                ALTER TABLE in_flight ADD COLUMN handed_back_at TEXT;
                """;
            command.ExecuteNonQuery();
        }
    }

    public Task CreateRunAsync(PlanRunRow run, IReadOnlyList<NewPlanItem> items, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync((connection, tx) =>
        {
            var completed = items.All(i => i.ReusedBuildId is not null);
            Execute(connection, tx, "INSERT INTO plan_runs (id, plan_id, manifest_id, priority, concurrency, submitted_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                Id(run.Id), run.PlanId, run.ManifestId, run.Priority, run.Concurrency, SqliteTime.Text(run.SubmittedAt), completed ? SqliteTime.Text(now) : null);
            using var insert = Prepare(connection, tx,
                "INSERT INTO plan_items (run_id, seq, idempotency_key, item, state, dispatch_kind, build_id, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", 8);
            for (var seq = 0; seq < items.Count; seq++)
            {
                var (item, reused) = (items[seq].Item, items[seq].ReusedBuildId);
                Run(insert, Id(run.Id), seq, item.IdempotencyKey, JsonSerializer.Serialize(item, FactoryJson.Options),
                    reused is null ? ItemState.Pending : ItemState.Reused, reused is null ? null : DispatchKind.Reused, reused is { } b ? Id(b) : null,
                    reused is null ? null : SqliteTime.Text(now));
            }
            return 0;
        }, ct);

    public async Task<DispatchOutcome> DispatchAsync(DispatchScope scope, DispatchDecider decide, DateTimeOffset now, LeaseOptions leases, int batch, CancellationToken ct)
    {
        if (scope.IsEmpty) return DispatchOutcome.None;
        return await WriteAsync(async (connection, tx) =>
        {
            var runIds = scope.RunIds is { } ids
                ? ids.ToList()
                : Query(connection, tx, "SELECT DISTINCT run_id FROM plan_items WHERE state = 'pending'", r => Guid.Parse(r.GetString(0)));
            var runs = Query(connection, tx, """
                SELECT r.id, r.plan_id, r.manifest_id, r.priority, r.concurrency, r.submitted_at, r.completed_at,
                       (SELECT count(*) FROM plan_items i WHERE i.run_id = r.id AND i.state IN ('queued', 'running'))
                FROM plan_runs r WHERE r.id IN (SELECT value FROM json_each($1)) AND r.completed_at IS NULL
                """, r => (Run: ReadRun(r), InFlight: r.GetInt32(7)), Json(runIds.Select(Id)));
            var limits = runs.ToDictionary(r => r.Run.Id, r => DispatchBatch.LimitFor(r.Run.Concurrency, r.InFlight, batch));
            var candidates = runs.Select(r => new RunCandidate(r.Run.Id, r.Run.Priority, r.Run.SubmittedAt, r.Run.Concurrency, r.InFlight,
                Query(connection, tx, "SELECT seq, item FROM plan_items WHERE run_id = $1 AND state = 'pending' ORDER BY seq LIMIT $2",
                    p => new PendingItem(p.GetInt32(0), JsonSerializer.Deserialize<WorkItem>(p.GetString(1), FactoryJson.Options)!), Id(r.Run.Id), limits[r.Run.Id])))
                .ToList();
            var keys = candidates.SelectMany(c => c.Pending).Select(p => p.Item.IdempotencyKey).Distinct().ToList();
            var inFlight = Query(connection, tx,
                    "SELECT idempotency_key, build_id, test_suite_hash FROM in_flight WHERE idempotency_key IN (SELECT value FROM json_each($1))",
                    r => new BuildInFlight(r.GetString(0), Guid.Parse(r.GetString(1)), r.GetString(2)), Json(keys))
                .ToDictionary(b => b.IdempotencyKey, StringComparer.Ordinal);
            var decisions = await decide(new DispatchSnapshot(now, candidates, inFlight, new Dictionary<string, IReadOnlyList<RecordSummary>>()), ct);

            var won = new HashSet<Guid>();
            using (var claim = Prepare(connection, tx, """
                INSERT OR IGNORE INTO in_flight (idempotency_key, build_id, test_suite_hash, pool, command, dispatched_at, state, attempt, lease_expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, 'unsent', 1, $7)
                """, 7))
                foreach (var c in decisions.OfType<ClaimBuild>())
                    if (Run(claim, c.IdempotencyKey, Id(c.BuildId), c.Command.Item.TestSuiteHash, c.Command.Item.Pool,
                            JsonSerializer.Serialize(c.Command, FactoryJson.Options), SqliteTime.Text(now), SqliteTime.Text(now + leases.Send)) == 1)
                        won.Add(c.BuildId);
            var applied = DispatchBatch.Applicable(decisions, inFlight, won);
            using (var update = Prepare(connection, tx, """
                UPDATE plan_items SET state = $3, dispatch_kind = $4, build_id = $5,
                    queued_at = CASE WHEN $6 THEN queued_at ELSE $7 END, finished_at = CASE WHEN $6 THEN $7 ELSE NULL END
                WHERE run_id = $1 AND seq = $2 AND state = 'pending'
                """, 7))
                foreach (var a in applied)
                    Run(update, Id(a.Decision.RunId), a.Decision.Seq, a.State, a.Kind, Id(a.BuildId), a.Finished, SqliteTime.Text(now));
            var completed = CompleteRuns(connection, tx, applied.Where(a => a.Finished).Select(a => a.Decision.RunId).Distinct(), now);
            return DispatchBatch.Outcome(candidates, limits, decisions, applied, won, completed);
        }, ct);
    }

    public Task MarkSentAsync(IReadOnlyCollection<Guid> buildIds, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        buildIds.Count == 0 ? Task.CompletedTask : WriteAsync((connection, tx) => Execute(connection, tx,
            "UPDATE in_flight SET state = 'queued', lease_expires_at = $2 WHERE build_id IN (SELECT value FROM json_each($1)) AND state = 'unsent'",
            Json(buildIds.Select(Id)), SqliteTime.Text(now + leases.Queued)), ct);

    public Task MarkStartedAsync(IReadOnlyList<WorkItemStarted> started, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        started.Count == 0 ? Task.CompletedTask : WriteAsync((connection, tx) =>
        {
            // Starts, hand-backs and records travel on different queues, in any order: the latest start holds the lease,
            // and a start that its own executor has since handed back is stale.
            using var build = Prepare(connection, tx, """
                UPDATE in_flight SET state = 'running', executor_id = $2, lease_expires_at = $3, started_at = $4
                WHERE build_id = $1 AND (started_at IS NULL OR started_at < $4)
                    AND NOT (handed_back_by IS $2 AND handed_back_attempt = $5 AND handed_back_at >= $4)
                """, 5);
            // The item keeps its start even when the record came first, and the latest start when delivered again.
            using var items = Prepare(connection, tx, """
                UPDATE plan_items SET started_at = $2, executor_id = $3, attempt = max(coalesce(attempt, 0), $4),
                    state = CASE WHEN state = 'queued' THEN 'running' ELSE state END
                WHERE build_id = $1 AND (started_at IS NULL OR started_at < $2)
                    AND NOT EXISTS (SELECT 1 FROM in_flight f
                        WHERE f.build_id = $1 AND f.handed_back_by IS $3 AND f.handed_back_attempt = $4 AND f.handed_back_at >= $2)
                """, 4);
            foreach (var s in EventBatches.LatestStarts(started))
            {
                Run(build, Id(s.BuildId), s.ExecutorId, SqliteTime.Text(now + leases.Run), SqliteTime.Text(s.StartedAt), s.Attempt);
                Run(items, Id(s.BuildId), SqliteTime.Text(s.StartedAt), s.ExecutorId, s.Attempt);
            }
            return 0;
        }, ct);

    public Task MarkHandedBackAsync(IReadOnlyList<WorkItemHandedBack> handedBack, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        handedBack.Count == 0 ? Task.CompletedTask : WriteAsync((connection, tx) =>
        {
            // Kept even when the start it follows has not arrived yet, so that the start is known as stale when it does.
            using var build = Prepare(connection, tx, """
                UPDATE in_flight SET
                    state = CASE WHEN state = 'running' AND executor_id = $2 AND attempt = $3 THEN 'queued' ELSE state END,
                    lease_expires_at = CASE WHEN state = 'running' AND executor_id = $2 AND attempt = $3 THEN $4 ELSE lease_expires_at END,
                    handed_back_by = $2, handed_back_attempt = $3, handed_back_at = $5
                WHERE build_id = $1 AND (handed_back_at IS NULL OR handed_back_at < $5)
                RETURNING state = 'queued' AND executor_id IS $2
                """, 5);
            using var items = Prepare(connection, tx, "UPDATE plan_items SET state = 'queued' WHERE build_id = $1 AND state = 'running'", 1);
            foreach (var h in EventBatches.LatestHandBacks(handedBack))
                if (Read(build, r => r.GetBoolean(0), Id(h.BuildId), h.ExecutorId, h.Attempt, SqliteTime.Text(now + leases.Queued), SqliteTime.Text(h.HandedBackAt))
                    is [true]) Run(items, Id(h.BuildId));
            return 0;
        }, ct);

    public Task<CompletionOutcome> CompleteBuildsAsync(IReadOnlyList<BuildCompletion> completions, DateTimeOffset now, CancellationToken ct) =>
        completions.Count == 0 ? Task.FromResult(CompletionOutcome.None) : WriteAsync((connection, tx) => Complete(connection, tx, completions, now), ct);

    public Task RecordHeartbeatsAsync(IReadOnlyList<ExecutorHeartbeat> beats, DateTimeOffset now, LeaseOptions leases, CancellationToken ct) =>
        beats.Count == 0 ? Task.CompletedTask : WriteAsync((connection, tx) =>
        {
            using var executor = Prepare(connection, tx, """
                INSERT INTO executors (executor_id, pool, host, concurrency, busy, last_seen) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (executor_id, pool) DO UPDATE SET host = $3, concurrency = $4, busy = $5, last_seen = max(last_seen, $6)
                """, 6);
            var latest = EventBatches.LatestBeats(beats);
            foreach (var b in latest) Run(executor, b.ExecutorId, b.Pool, b.Host, b.Concurrency, b.Busy, SqliteTime.Text(now));
            using var lease = Prepare(connection, tx,
                """
                UPDATE in_flight SET state = 'running', executor_id = $2, lease_expires_at = max(lease_expires_at, $3)
                WHERE build_id = $1 AND NOT (state = 'queued' AND executor_id IS $2) AND NOT (handed_back_by IS $2 AND handed_back_at >= $4)
                """, 4);
            foreach (var (buildId, executorId, sentAt) in EventBatches.RunningBuilds(latest))
                Run(lease, Id(buildId), executorId, SqliteTime.Text(now + leases.Run), SqliteTime.Text(sentAt));
            return 0;
        }, ct);

    public async Task<LeaseOutcome> ReapAsync(LeaseDecider decide, DateTimeOffset now, LeaseOptions leases, int limit, CancellationToken ct) =>
        await WriteAsync(async (connection, tx) =>
        {
            var lapsed = Query(connection, tx, """
                SELECT idempotency_key, build_id, state, attempt, pool, lease_expires_at FROM in_flight
                WHERE lease_expires_at < $1 ORDER BY lease_expires_at LIMIT $2
                """, r => new LapsedBuild(r.GetString(0), Guid.Parse(r.GetString(1)), r.GetString(2), r.GetInt32(3), r.GetString(4), SqliteTime.Parse(r.GetString(5))),
                SqliteTime.Text(now), limit);
            if (lapsed.Count == 0) return LeaseOutcome.None;
            var decisions = await decide(lapsed, ct);
            var fromRecords = LeaseBatch.Completions(decisions);
            var completion = fromRecords.Count == 0 ? CompletionOutcome.None : Complete(connection, tx, fromRecords, now);
            var outbox = new List<ExecuteWorkItem>();
            foreach (var again in decisions.OfType<Redispatch>())
            {
                var command = Query(connection, tx, """
                    UPDATE in_flight SET state = 'unsent', attempt = $2, executor_id = NULL, lease_expires_at = $3 WHERE build_id = $1 RETURNING command
                    """, r => r.GetString(0), Id(again.Build.BuildId), again.Attempt, SqliteTime.Text(now + leases.Send)).Single();
                Execute(connection, tx, "UPDATE plan_items SET state = 'queued' WHERE build_id = $1 AND state = 'running'", Id(again.Build.BuildId));
                outbox.Add(LeaseBatch.Resend(command, again.Attempt));
            }
            foreach (var extend in decisions.OfType<ExtendLease>())
                Execute(connection, tx, "UPDATE in_flight SET lease_expires_at = $2 WHERE build_id = $1", Id(extend.Build.BuildId), SqliteTime.Text(extend.Until));
            return new LeaseOutcome(outbox, completion, lapsed.Count);
        }, ct);

    public Task<int?> CancelRunAsync(Guid id, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync<int?>((connection, tx) =>
        {
            if (Query(connection, tx, "SELECT 1 FROM plan_runs WHERE id = $1", r => r.GetInt32(0), Id(id)).Count == 0) return null;
            var cancelled = Execute(connection, tx, "UPDATE plan_items SET state = 'cancelled', finished_at = $2 WHERE run_id = $1 AND state IN ('pending', 'queued', 'running')",
                Id(id), SqliteTime.Text(now));
            Execute(connection, tx, "UPDATE plan_runs SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL", Id(id), SqliteTime.Text(now));
            return cancelled;
        }, ct);

    public async Task<PlanRunRow?> GetRunAsync(Guid id, CancellationToken ct) =>
        (await ReadAsync(c => Query(c, null, "SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at, completed_at FROM plan_runs WHERE id = $1",
            ReadRun, Id(id)), ct)).FirstOrDefault();

    public async Task<IReadOnlyList<PlanRunRow>> ListRunsAsync(int limit, CancellationToken ct) =>
        await ReadAsync(c => Query(c, null, "SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at, completed_at FROM plan_runs ORDER BY submitted_at DESC LIMIT $1",
            ReadRun, limit), ct);

    public async Task<IReadOnlyList<PlanItemRow>> GetItemsAsync(Guid runId, CancellationToken ct) =>
        await ReadAsync(c => Query(c, null, $"SELECT {ItemColumns} FROM plan_items WHERE run_id = $1 ORDER BY seq", ReadItem, Id(runId)), ct);

    public async Task<PlanRunCounts> CountItemsAsync(Guid runId, CancellationToken ct) =>
        PlanRunCountsOf.Rows(await ReadAsync(c => Query(c, null, "SELECT state, dispatch_kind, count(*) FROM plan_items WHERE run_id = $1 GROUP BY state, dispatch_kind",
            r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt32(2)), Id(runId)), ct));

    public async Task<IReadOnlyList<ExecutorRow>> ListExecutorsAsync(DateTimeOffset seenSince, CancellationToken ct) =>
        await ReadAsync(c => Query(c, null, "SELECT executor_id, pool, host, concurrency, busy, last_seen FROM executors WHERE last_seen > $1 ORDER BY pool, executor_id",
            r => new ExecutorRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), SqliteTime.Parse(r.GetString(5))),
            SqliteTime.Text(seenSince)), ct);

    public async Task<IReadOnlyList<BuildInFlightRow>> ListInFlightAsync(CancellationToken ct) =>
        await ReadAsync(c => Query(c, null,
            "SELECT idempotency_key, build_id, pool, state, attempt, executor_id, dispatched_at, lease_expires_at FROM in_flight ORDER BY dispatched_at",
            r => new BuildInFlightRow(r.GetString(0), Guid.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5), SqliteTime.Parse(r.GetString(6)), SqliteTime.Parse(r.GetString(7)))), ct);

    // ------------------------------------------------------------------------------------------------ shared steps

    private static CompletionOutcome Complete(SqliteConnection connection, SqliteTransaction tx, IReadOnlyList<BuildCompletion> completions, DateTimeOffset now)
    {
        var finished = new HashSet<Guid>();
        var waiting = new HashSet<Guid>();
        using var leave = Prepare(connection, tx, "DELETE FROM in_flight WHERE build_id = $1", 1);
        // A record completes items that were dead-lettered too (a replayed build); a dead letter completes only open ones.
        using var finish = Prepare(connection, tx, """
            UPDATE plan_items SET state = $2, finished_at = $3, error = $4
            WHERE build_id = $1 AND (state IN ('queued', 'running') OR (state = 'dead_lettered' AND $2 <> 'dead_lettered'))
            RETURNING run_id
            """, 4);
        using var wait = Prepare(connection, tx, "SELECT DISTINCT run_id FROM plan_items WHERE idempotency_key = $1 AND state = 'pending'", 1);
        foreach (var c in EventBatches.OnePerBuild(completions))
        {
            Run(leave, Id(c.BuildId));
            finished.UnionWith(Read(finish, r => Guid.Parse(r.GetString(0)), Id(c.BuildId), c.State, SqliteTime.Text(now), c.ErrorJson));
            waiting.UnionWith(Read(wait, r => Guid.Parse(r.GetString(0)), c.IdempotencyKey));
        }
        var completed = CompleteRuns(connection, tx, finished, now);
        // Plans of the finished items need a pass only if they still have pending items (budget freed).
        var stillPending = Query(connection, tx, "SELECT value FROM json_each($1) WHERE EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = value AND i.state = 'pending')",
            r => Guid.Parse(r.GetString(0)), Json(finished.Except(completed).Select(Id)));
        return new CompletionOutcome(stillPending.Union(waiting).ToList(), completed);
    }

    private static List<Guid> CompleteRuns(SqliteConnection connection, SqliteTransaction tx, IEnumerable<Guid> runIds, DateTimeOffset now) =>
        Query(connection, tx, """
            UPDATE plan_runs SET completed_at = $2 WHERE id IN (SELECT value FROM json_each($1)) AND completed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = plan_runs.id AND i.state IN ('pending', 'queued', 'running'))
            RETURNING id
            """, r => Guid.Parse(r.GetString(0)), Json(runIds.Select(Id)), SqliteTime.Text(now));

    // ------------------------------------------------------------------------------------------------ plumbing

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> body, CancellationToken ct) =>
        WriteAsync((connection, tx) => Task.FromResult(body(connection, tx)), ct);

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> body, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = connection.BeginTransaction(deferred: false);
            var result = await body(connection, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED: another process held the write lock too long
        {
            throw new Factory.Contracts.Failures.InfrastructureException("sqlite", ex.Message, ex);
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> body, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return body(connection);
    }

    private static string Id(Guid id) => id.ToString("D");

    private static string Json<T>(IEnumerable<T> values) => JsonSerializer.Serialize(values);

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction? tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        for (var i = 1; i <= parameters; i++) command.Parameters.Add(new SqliteParameter("$" + i, null));
        command.Prepare();
        return command;
    }

    private static int Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQuery();
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? tx, string sql, params object?[] values)
    {
        using var command = Prepare(connection, tx, sql, values.Length);
        return Run(command, values);
    }

    private static List<T> Query<T>(SqliteConnection connection, SqliteTransaction? tx, string sql, Func<SqliteDataReader, T> read, params object?[] values)
    {
        using var command = Prepare(connection, tx, sql, values.Length);
        return Read(command, read, values);
    }

    private static List<T> Read<T>(SqliteCommand command, Func<SqliteDataReader, T> read, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private static PlanRunRow ReadRun(SqliteDataReader r) =>
        new(Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt32(4), SqliteTime.Parse(r.GetString(5)),
            r.IsDBNull(6) ? null : SqliteTime.Parse(r.GetString(6)));

    private static PlanItemRow ReadItem(SqliteDataReader r) => new()
    {
        RunId = Guid.Parse(r.GetString(0)),
        Seq = r.GetInt32(1),
        Item = JsonSerializer.Deserialize<WorkItem>(r.GetString(2), FactoryJson.Options)!,
        State = r.GetString(3),
        DispatchKind = r.IsDBNull(4) ? null : r.GetString(4),
        BuildId = r.IsDBNull(5) ? null : Guid.Parse(r.GetString(5)),
        QueuedAt = r.IsDBNull(6) ? null : SqliteTime.Parse(r.GetString(6)),
        StartedAt = r.IsDBNull(7) ? null : SqliteTime.Parse(r.GetString(7)),
        FinishedAt = r.IsDBNull(8) ? null : SqliteTime.Parse(r.GetString(8)),
        Error = r.IsDBNull(9) ? null : r.GetString(9),
        ExecutorId = r.IsDBNull(10) ? null : r.GetString(10),
        Attempt = r.IsDBNull(11) ? null : r.GetInt32(11),
    };
}
