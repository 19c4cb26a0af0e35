using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Npgsql;

namespace Factory.IntegrationTests.PlanState;

/// <summary>The plan-state contract on a throwaway PostgreSQL database.</summary>
public sealed class PostgresPlanStateStoreTests : PlanStateStoreContract, IAsyncLifetime
{
    private const string Admin = "Host=127.0.0.1;Username=factory;Password=factory;Database=factory;Pooling=false";
    private readonly string _database = "factory_plans_" + Guid.NewGuid().ToString("N")[..10];
    private NpgsqlDataSource? _dataSource;
    private PostgresPlanStateStore? _store;

    protected override IPlanStateStore Store => _store!;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(Admin))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\" OWNER factory", admin);
            await create.ExecuteNonQueryAsync();
        }
        _dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Username=factory;Password=factory;Database={_database};Maximum Pool Size=40");
        _store = new PostgresPlanStateStore(_dataSource);
        await _store.EnsureSchemaAsync(Ct);
        await _store.EnsureSchemaAsync(Ct); // creating the schema twice changes nothing
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await using var admin = new NpgsqlConnection(Admin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
