using Npgsql;

namespace Factory.IntegrationTests.Infrastructure;

public static class RecordCounts
{
    /// <summary>How many records each idempotency key has in the fleet's record store: nothing lost shows as every key, nothing doubled as 1 each.</summary>
    public static async Task<Dictionary<string, int>> PerKeyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT idempotency_key, count(*) FROM records GROUP BY idempotency_key", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, int>();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = (int)reader.GetInt64(1);
        return result;
    }
}
