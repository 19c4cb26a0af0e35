using Factory.ControlPlane.Access;
using Factory.ControlPlane.State;
using Npgsql;

namespace Factory.IntegrationTests.Access;

/// <summary>The access-store contract on a throwaway PostgreSQL database.</summary>
public sealed class PostgresAccessStoreTests : AccessStoreContract, IAsyncLifetime
{
    private readonly ThrowawayDatabase _database = new("factory_access_" + Guid.NewGuid().ToString("N")[..10]);
    private NpgsqlDataSource? _dataSource;

    protected override IAccessStore Store => new PostgresAccessStore(_dataSource!);

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
