using Factory.Contracts.Health;
using Npgsql;

namespace Factory.Records;

/// <summary>The database answers a query: a connection from the pool (a new one when the server went away) and SELECT 1.</summary>
public sealed class PostgresReadinessProbe(NpgsqlDataSource dataSource) : IReadinessProbe
{
    public string Name => "database";

    public async Task<string?> ProbeAsync(CancellationToken ct)
    {
        var where = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString) is var c ? $"PostgreSQL at {c.Host}:{c.Port}/{c.Database}" : "PostgreSQL";
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return $"{where}: {ex.Message}";
        }
    }
}
