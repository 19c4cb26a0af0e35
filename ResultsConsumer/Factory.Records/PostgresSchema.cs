using Npgsql;

namespace Factory.Records;

/// <summary>
/// Creates tables shared by several services. Services start together, so DDL runs under one transaction-scoped
/// advisory lock, and the catalogue race PostgreSQL still reports for concurrent CREATE … IF NOT EXISTS is retried.
/// </summary>
public static class PostgresSchema
{
    private const long SchemaLock = 4242001;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string ddl, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, tx))
                    await lockCommand.ExecuteNonQueryAsync(ct);
                await using (var command = new NpgsqlCommand(ddl, connection, tx))
                    await command.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }
}
