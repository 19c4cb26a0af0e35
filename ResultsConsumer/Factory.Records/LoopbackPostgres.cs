using System.Data.Common;
using System.Net;
using Npgsql;

namespace Factory.Records;

/// <summary>
/// A connection string to a PostgreSQL on this host (127.0.0.1, ::1, localhost, a Unix socket) that does not choose
/// its SSL mode gets SSL Mode=Disable. Npgsql's default (Prefer) negotiates TLS whenever the server offers it, and on
/// loopback that encrypts bytes that never leave the machine: it was about a tenth of the control plane's and the
/// results consumer's CPU per item. A string that names any SSL mode, or any other host, is left as it is.
/// </summary>
public static class LoopbackPostgres
{
    public static string WithoutTlsOnLoopback(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", "").Equals("SslMode", StringComparison.OrdinalIgnoreCase))) return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var hosts = (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (hosts.Length == 0 || !hosts.All(IsLoopback)) return connectionString;
        builder.SslMode = SslMode.Disable;
        return builder.ConnectionString;
    }

    private static bool IsLoopback(string host)
    {
        // A bare IPv6 address, [IPv6]:port, or host:port (in a multi-host list).
        var name = IPAddress.TryParse(host, out _) ? host : host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        if (name.StartsWith('/')) return true; // a Unix-domain socket directory
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address);
    }
}
