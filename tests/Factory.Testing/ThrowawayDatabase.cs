using Npgsql;

namespace Factory.Testing;

/// <summary>
/// A PostgreSQL database of its own for one test or bench run, on the local server (the factory role, with this
/// install's password: <see cref="LocalCredentials"/>). Dropping it is
/// tried again for a while: WITH (FORCE) cannot end an autovacuum worker that a burst of writes just woke up.
/// </summary>
public sealed class ThrowawayDatabase : IAsyncDisposable
{
    private static string Admin => LocalCredentials.Current.PostgresConnectionString("factory") + ";Pooling=false";
    private bool _created;

    public string Name { get; }
    public string ConnectionString => LocalCredentials.Current.PostgresConnectionString(Name);

    public ThrowawayDatabase(string name) => Name = name;

    public async Task CreateAsync()
    {
        await using var admin = new NpgsqlConnection(Admin);
        await admin.OpenAsync();
        _created = true;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\" OWNER \"{LocalCredentials.Current.PgUser}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_created) return;
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var admin = new NpgsqlConnection(Admin);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }
}
