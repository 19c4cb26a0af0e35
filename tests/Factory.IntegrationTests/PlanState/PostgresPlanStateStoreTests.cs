using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Factory.Records;
using Npgsql;

namespace Factory.IntegrationTests.PlanState;

/// <summary>The plan-state contract on a throwaway PostgreSQL database.</summary>
public sealed class PostgresPlanStateStoreTests : PlanStateStoreContract, IAsyncLifetime
{
    private readonly ThrowawayDatabase _database = new("factory_plans_" + Guid.NewGuid().ToString("N")[..10]);
    private NpgsqlDataSource? _dataSource;
    private PostgresPlanStateStore? _store;

    protected override IPlanStateStore Store => _store!;

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        // The services' own settings (no reset on close, prepared statements): the races run as they do in the fleet.
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionDefaults.Apply(_database.ConnectionString + ";Maximum Pool Size=40"));
        _store = new PostgresPlanStateStore(_dataSource);
        await _store.EnsureSchemaAsync(Ct);
        await _store.EnsureSchemaAsync(Ct); // creating the schema twice changes nothing
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
