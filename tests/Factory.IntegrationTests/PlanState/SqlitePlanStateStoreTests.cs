using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Microsoft.Data.Sqlite;

namespace Factory.IntegrationTests.PlanState;

/// <summary>The plan-state contract on the embedded default's SQLite file.</summary>
public sealed class SqlitePlanStateStoreTests : PlanStateStoreContract, IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-plans-" + Guid.NewGuid().ToString("N"));
    private SqlitePlanStateStore? _store;

    protected override IPlanStateStore Store => _store!;

    public async Task InitializeAsync()
    {
        _store = new SqlitePlanStateStore(_state);
        await _store.EnsureSchemaAsync(Ct);
        await _store.EnsureSchemaAsync(Ct); // creating the schema twice changes nothing
    }

    [Fact]
    public async Task A_state_directory_made_before_starts_and_hand_backs_were_ordered_gains_their_columns()
    {
        var older = Path.Combine(_state, "older");
        Directory.CreateDirectory(older);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(older, "plans.db")}"))
        {
            await connection.OpenAsync();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE in_flight (idempotency_key TEXT PRIMARY KEY, build_id TEXT NOT NULL, test_suite_hash TEXT NOT NULL, pool TEXT NOT NULL,
                    command TEXT NOT NULL, dispatched_at TEXT NOT NULL, state TEXT NOT NULL, attempt INTEGER NOT NULL, executor_id TEXT,
                    lease_expires_at TEXT NOT NULL);
                INSERT INTO in_flight VALUES ('a', 'b1d8a2a4-0000-0000-0000-000000000001', 's', 'amd64', '{}', '2030-01-01T00:00:00.0000000Z', 'queued', 1, NULL, '2030-01-01T00:00:00.0000000Z');
                """;
            await create.ExecuteNonQueryAsync();
        }

        var store = new SqlitePlanStateStore(older);
        await store.EnsureSchemaAsync(Ct);
        await store.EnsureSchemaAsync(Ct);

        var build = Assert.Single(await store.ListInFlightAsync(Ct));
        Assert.Equal(("a", BuildState.Queued), (build.IdempotencyKey, build.State));
        await store.MarkStartedAsync([new() { BuildId = build.BuildId, PlanId = "p", IdempotencyKey = "a", Pool = "amd64", ExecutorId = "ex", StartedAt = DateTimeOffset.UtcNow }],
            DateTimeOffset.UtcNow, new LeaseOptions(), Ct);
        var started = Assert.Single(await store.ListInFlightAsync(Ct));
        Assert.Equal((BuildState.Running, "ex"), (started.State, started.ExecutorId));
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_state, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}
