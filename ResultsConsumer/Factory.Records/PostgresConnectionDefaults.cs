using System.Data.Common;
using Npgsql;

namespace Factory.Records;

/// <summary>
/// What Factory's services set on a PostgreSQL connection string that does not choose them itself:
/// <list type="bullet">
/// <item>No TLS to a server on this host (<see cref="LoopbackPostgres"/>).</item>
/// <item><c>No Reset On Close</c>: a pooled connection is not reset (DISCARD ALL) when it returns to the pool. Factory's
/// code leaves no session state behind (its advisory locks are transaction-scoped; it sets no variables and makes no
/// temporary tables), and the reset was 1.6 extra statements per dispatched item (pg_stat_statements, bench
/// dispatch_throughput).</item>
/// <item><c>Max Auto Prepare</c>: the statements a service runs again and again (one per item, or per event batch) are
/// prepared on the server after their second use, so PostgreSQL stops parsing and planning them each time.</item>
/// </list>
/// A setting the string names itself is left as it is.
/// </summary>
public static class PostgresConnectionDefaults
{
    public const int MaxAutoPrepare = 64;

    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(LoopbackPostgres.WithoutTlsOnLoopback(connectionString));
        if (!given.Contains("NoResetOnClose")) builder.NoResetOnClose = true;
        if (!given.Contains("MaxAutoPrepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        return builder.ConnectionString;
    }
}
