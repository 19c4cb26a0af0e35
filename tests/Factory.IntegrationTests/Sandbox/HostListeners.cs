using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Factory.IntegrationTests.Sandbox;

/// <summary>The TCP ports this host listens on, read from /proc/net/tcp and tcp6, as "ADDRESS/PORT" targets for bash's /dev/tcp.</summary>
public static class HostListeners
{
    private const string Listen = "0A";

    /// <summary>
    /// Every listener at the address it is bound to; a wildcard one at loopback and at each of the host's own IPv4
    /// addresses. Ordered and distinct.
    /// </summary>
    public static IReadOnlyList<string> Targets()
    {
        var own = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .ToList();
        var targets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (address, port) in Read("/proc/net/tcp").Concat(Read("/proc/net/tcp6")))
        {
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                targets.Add($"127.0.0.1/{port}");
                foreach (var a in own)
                    targets.Add($"{a}/{port}");
                if (address.Equals(IPAddress.IPv6Any))
                    targets.Add($"::1/{port}");
            }
            else if (IPAddress.IsLoopback(address) || address.AddressFamily == AddressFamily.InterNetwork)
            {
                targets.Add($"{address}/{port}");
            }
        }
        return [.. targets];
    }

    /// <summary>This process's network namespace as `readlink /proc/self/ns/net` prints it.</summary>
    public static string NetworkNamespace() => new FileInfo("/proc/self/ns/net").LinkTarget
        ?? throw new InvalidOperationException("/proc/self/ns/net is not a link");

    private static IEnumerable<(IPAddress Address, int Port)> Read(string table)
    {
        if (!File.Exists(table))
            yield break;
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != Listen)
                continue;
            var local = fields[1].Split(':');
            yield return (Address(local[0]), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The kernel prints the address as 32-bit words in host (little-endian) order.</summary>
    private static IPAddress Address(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
            Array.Reverse(bytes, word, 4);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
