using System.Text.Json;
using Factory.ControlPlane.Planning;
using Factory.Contracts;
using Factory.Contracts.Messages;
using Factory.Records;
using Npgsql;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// Moves pending items onto the queues, highest priority plan first, within each plan's concurrency budget.
/// At dispatch an item is reused if a passing record for its key and suite exists (perhaps written moments ago
/// for another plan); attached to the build of its key if one is already in flight; otherwise it becomes that
/// key's build. One pump at a time (a PostgreSQL advisory lock), so two plans at once still make one build per key.
/// Work is sent only after the transaction that queued it commits (an outbox: a result can never overtake the
/// state it completes); what was queued but not sent, because the process died in between, is sent again by a
/// later pump with the same build id, which the records absorb.
/// </summary>
public sealed class WorkDispatcher(PlanRunStore runs, ICompatibilityRecordStore records, IWorkSender sender, TimeProvider clock)
{
    private const long PumpLock = 4242002;

    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(15);

    public async Task PumpAsync(CancellationToken ct)
    {
        var outbox = await QueueAsync(ct);
        foreach (var command in outbox) await SendAsync(command, ct);
    }

    private async Task SendAsync(ExecuteWorkItem command, CancellationToken ct)
    {
        await sender.SendAsync(command, ct);
        await using var sent = runs.DataSource.CreateCommand("UPDATE plan_items SET sent_at = now() WHERE build_id = $1 AND sent_at IS NULL");
        sent.Parameters.AddWithValue(command.BuildId);
        await PostgresFailures.Guard(() => sent.ExecuteNonQueryAsync(ct));
    }

    private Task<List<ExecuteWorkItem>> QueueAsync(CancellationToken ct) =>
        PostgresFailures.Guard(async () =>
        {
            var outbox = new List<ExecuteWorkItem>();
            await using var connection = await runs.DataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PumpLock})", connection, tx))
                await lockCommand.ExecuteNonQueryAsync(ct);

            var open = new List<PlanRunRow>();
            await using (var command = new NpgsqlCommand(
                "SELECT id, plan_id, manifest_id, priority, concurrency, submitted_at FROM plan_runs r WHERE completed_at IS NULL " +
                "AND EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = r.id AND i.state = 'pending') ORDER BY priority DESC, submitted_at", connection, tx))
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) open.Add(PlanRunStore.ReadRun(reader));

            foreach (var run in open)
                await DispatchRunAsync(connection, tx, run, outbox, ct);
            await CollectUnsentAsync(connection, tx, outbox, ct);
            await tx.CommitAsync(ct);
            return outbox;
        });

    /// <summary>Builds queued a while ago whose send never happened (the process died between commit and send).</summary>
    private async Task CollectUnsentAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<ExecuteWorkItem> outbox, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT ON (build_id) build_id, item, reuse_image FROM plan_items
            WHERE state = 'queued' AND sent_at IS NULL AND dispatch_kind IN ('build', 'test_only') AND queued_at < $1
            """, connection, tx);
        command.Parameters.AddWithValue((clock.GetUtcNow() - ResendAfter).ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var buildId = reader.GetGuid(0);
            if (outbox.Any(c => c.BuildId == buildId)) continue;
            var item = JsonSerializer.Deserialize<WorkItem>(reader.GetString(1), FactoryJson.Options)!;
            outbox.Add(new ExecuteWorkItem { BuildId = buildId, Item = item, ReuseImage = reader.IsDBNull(2) ? null : reader.GetString(2) });
        }
    }

    private async Task DispatchRunAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PlanRunRow run, List<ExecuteWorkItem> outbox, CancellationToken ct)
    {
        var budget = int.MaxValue;
        if (run.Concurrency is { } limit)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM plan_items WHERE run_id = $1 AND state IN ('queued', 'running')", connection, tx);
            count.Parameters.AddWithValue(run.Id);
            budget = limit - (int)(long)(await count.ExecuteScalarAsync(ct))!;
        }
        if (budget <= 0) return;

        var pending = new List<PlanItemRow>();
        await using (var select = new NpgsqlCommand(
            "SELECT run_id, seq, item, state, dispatch_kind, build_id, started_at, finished_at, error FROM plan_items WHERE run_id = $1 AND state = 'pending' ORDER BY seq", connection, tx))
        {
            select.Parameters.AddWithValue(run.Id);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) pending.Add(PlanRunStore.ReadItem(reader));
        }

        foreach (var row in pending)
        {
            if (budget <= 0) break;
            var item = row.Item;
            var decision = ReusePolicy.Decide(item, await records.FindByKeyAsync(item.IdempotencyKey, ct));
            if (decision.Kind == ReuseDecisionKind.Reuse)
            {
                await SetAsync(connection, tx, row, ItemState.Reused, DispatchKind.Reused, decision.Record!.BuildId, ct);
                continue;
            }

            var buildId = Guid.NewGuid();
            await using var claim = new NpgsqlCommand("""
                INSERT INTO in_flight (idempotency_key, build_id, test_suite_hash, dispatched_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
                RETURNING build_id, test_suite_hash
                """, connection, tx);
            claim.Parameters.AddWithValue(item.IdempotencyKey);
            claim.Parameters.AddWithValue(buildId);
            claim.Parameters.AddWithValue(item.TestSuiteHash);
            claim.Parameters.AddWithValue(clock.GetUtcNow().ToUniversalTime());
            Guid owner;
            string ownerSuite;
            await using (var reader = await claim.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                owner = reader.GetGuid(0);
                ownerSuite = reader.GetString(1);
            }

            if (owner == buildId)
            {
                var kind = decision.Kind == ReuseDecisionKind.TestOnly ? DispatchKind.TestOnly : DispatchKind.Build;
                await SetAsync(connection, tx, row, ItemState.Queued, kind, buildId, ct);
                await PlanRunStore.Execute(connection, tx, "UPDATE plan_items SET reuse_image = $3 WHERE run_id = $1 AND seq = $2", ct,
                    row.RunId, row.Seq, (object?)decision.Image ?? DBNull.Value);
                outbox.Add(new ExecuteWorkItem { BuildId = buildId, Item = item, ReuseImage = decision.Image });
            }
            else if (ownerSuite == item.TestSuiteHash)
            {
                await SetAsync(connection, tx, row, ItemState.Queued, DispatchKind.Attached, owner, ct);
            }
            else
            {
                continue; // The key is in flight against another test suite: wait for it, then decide again.
            }
            budget--;
        }
    }

    private static async Task SetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PlanItemRow row, string state, string kind, Guid buildId, CancellationToken ct)
    {
        var finished = ItemState.IsTerminal(state) ? "now()" : "NULL";
        await PlanRunStore.Execute(connection, tx,
            $"UPDATE plan_items SET state = $3, dispatch_kind = $4, build_id = $5, finished_at = {finished}, queued_at = now() WHERE run_id = $1 AND seq = $2", ct,
            row.RunId, row.Seq, state, kind, buildId);
        if (ItemState.IsTerminal(state))
            await PlanRunStore.Execute(connection, tx, """
                UPDATE plan_runs r SET completed_at = now() WHERE r.id = $1 AND r.completed_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.run_id = r.id AND i.state IN ('pending', 'queued', 'running'))
                """, ct, row.RunId);
    }
}
