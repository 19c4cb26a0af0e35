using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Records;
using Factory.UnitTests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Factory.IntegrationTests.RecordStores;

/// <summary>The same contract on a throwaway PostgreSQL database.</summary>
public sealed class PostgresRecordStoreTests : CompatibilityRecordStoreContract, IAsyncLifetime
{
    private readonly ThrowawayDatabase _database = new("factory_records_" + Guid.NewGuid().ToString("N")[..10]);
    private NpgsqlDataSource? _dataSource;
    private PostgresCompatibilityRecordStore? _store;

    protected override ICompatibilityRecordStore Store => _store!;

    public async Task InitializeAsync()
    {
        await _database.CreateAsync();
        _dataSource = NpgsqlDataSource.Create(PostgresConnectionDefaults.Apply(_database.ConnectionString)); // as the services open it
        _store = new PostgresCompatibilityRecordStore(_dataSource);
        await _store.EnsureSchemaAsync(Ct);
        await _store.EnsureSchemaAsync(Ct); // creating the schema twice changes nothing
    }

    protected override async Task<long> CountRecordsAsync()
    {
        await using var command = _dataSource!.CreateCommand("SELECT count(*) FROM records");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task<Guid?> FirstBuildOfAsync(string name, string version)
    {
        await using var command = _dataSource!.CreateCommand("SELECT first_build_id FROM module_digests WHERE name = $1 AND version = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return (Guid?)await command.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
