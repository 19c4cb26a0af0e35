using Factory.Contracts.Failures;
using Npgsql;

namespace Factory.Records;

/// <summary>
/// Translates PostgreSQL's failures, never retries them: the database away or overloaded is a transient
/// <see cref="InfrastructureException"/> (retried by the caller's policy, never a wrong answer); refused credentials
/// are one that is not transient (trying again changes nothing); anything else (a bug in a statement) goes through.
/// </summary>
public static class PostgresFailures
{
    public const string Service = "postgresql";

    public static async Task<T> Guard<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new InfrastructureException(Service, $"access denied ({ex.MessageText}): check the user and password of ConnectionStrings:Factory", ex)
            {
                Transient = false,
            };
        }
        catch (NpgsqlException ex) when (ex.IsTransient || ex.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            throw new InfrastructureException(Service, ex.Message, ex);
        }
    }
}
