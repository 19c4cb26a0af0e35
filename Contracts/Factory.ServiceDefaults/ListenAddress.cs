using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Factory.ServiceDefaults;

/// <summary>
/// Where this host's listener is reachable, once the server started: an ephemeral port is only known then. A
/// wildcard host (0.0.0.0, [::], +, *) is replaced by this machine's name, so that the address works from elsewhere.
/// </summary>
public sealed class ListenAddress(IServer server, IHostApplicationLifetime lifetime)
{
    /// <summary>Null until the server listens.</summary>
    public string? Url
    {
        get
        {
            if (!lifetime.ApplicationStarted.IsCancellationRequested) return null;
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
            return addresses?.Select(Reachable).FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses?.Select(Reachable).FirstOrDefault();
        }
    }

    public static string Reachable(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://wildcard", StringComparison.Ordinal).Replace("://*", "://wildcard", StringComparison.Ordinal));
        if (uri.Host is "wildcard" or "0.0.0.0" or "[::]" or "::") uri.Host = Environment.MachineName;
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
