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

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_state, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}
