using Factory.Contracts.Failures;
using Npgsql;

namespace Factory.Records;

/// <summary>
/// Creates tables shared by several services. Services start together, so DDL runs under one transaction-scoped
/// advisory lock; the catalogue race PostgreSQL still reports for concurrent CREATE … IF NOT EXISTS becomes a transient
/// <see cref="InfrastructureException"/>, which the caller's start-up loop tries again.
/// </summary>
public static class PostgresSchema
{
    private const long SchemaLock = 4242001;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string ddl, CancellationToken ct)
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
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
        {
            throw new InfrastructureException(PostgresFailures.Service, $"the schema was being created by another service at the same time ({ex.MessageText})", ex);
        }
    }
}
