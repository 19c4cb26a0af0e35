using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Records;
using Factory.UnitTests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Factory.IntegrationTests.RecordStores;

public sealed class SqliteRecordStoreTests : CompatibilityRecordStoreContract, IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-records-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteCompatibilityRecordStore _store;

    public SqliteRecordStoreTests() => _store = new SqliteCompatibilityRecordStore(_state);

    protected override ICompatibilityRecordStore Store => _store;

    protected override Task<long> CountRecordsAsync()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_state, "factory.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM records";
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    protected override Task<Guid?> FirstBuildOfAsync(string name, string version)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_state, "factory.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT first_build_id FROM module_digests WHERE name = $name AND version = $version";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$version", version);
        return Task.FromResult(command.ExecuteScalar() is string id ? Guid.Parse(id) : (Guid?)null);
    }

    [Fact]
    public async Task Each_record_is_one_json_file_under_its_key()
    {
        var record = SampleRecords.Make(key: "k1");
        await _store.SaveAsync(record, Ct);
        await _store.SaveAsync(record, Ct);
        var files = Directory.GetFiles(Path.Combine(_state, "records"), "*", SearchOption.AllDirectories);
        Assert.Equal(Path.Combine(_state, "records", "k1", record.BuildId + ".json"), Assert.Single(files));
    }

    [Fact]
    public async Task The_record_file_is_snake_case_json()
    {
        var record = SampleRecords.Make(key: "k1");
        await _store.SaveAsync(record, Ct);
        var json = await File.ReadAllTextAsync(Path.Combine(_state, "records", "k1", record.BuildId + ".json"), Ct);
        Assert.Contains("\"idempotency_key\": \"k1\"", json);
        Assert.Contains("\"test_suite_hash\": \"suite1\"", json);
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_sees_the_records()
    {
        var record = SampleRecords.Make(key: "k1");
        await _store.SaveAsync(record, Ct);
        var reopened = new SqliteCompatibilityRecordStore(_state);
        Assert.False(await reopened.SaveAsync(record, Ct));
        Assert.Single(await reopened.FindByKeyAsync("k1", Ct));
    }
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_state, recursive: true); }
        catch (IOException) { }
    }
}
