using Factory.Contracts.Failures;
using Npgsql;

namespace Factory.Records;

/// <summary>PostgreSQL being away is infrastructure: retried by the caller's policy, never a wrong answer.</summary>
public static class PostgresFailures
{
    public static async Task<T> Guard<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (NpgsqlException ex) when (ex.IsTransient || ex.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            throw new InfrastructureException("postgresql", ex.Message, ex);
        }
    }
}
