using System.Collections.Concurrent;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Fleet;

/// <summary>
/// Where the hosts on ephemeral ports serve /metrics, as they announced it (MetricsEndpointAnnounced). Kept in memory:
/// announcements come every few seconds, so a restarted control plane knows them again at once. An instance not heard
/// from for <see cref="Expiry"/> is dropped.
/// </summary>
public sealed class ScrapeTargets(TimeProvider clock)
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, MetricsEndpointAnnounced> _byInstance = new();

    public void Announced(MetricsEndpointAnnounced announcement) =>
        _byInstance.AddOrUpdate(announcement.InstanceId, announcement, (_, known) => known.SentAt > announcement.SentAt ? known : announcement);

    public IReadOnlyList<MetricsEndpointAnnounced> Current()
    {
        var since = clock.GetUtcNow() - Expiry;
        foreach (var stale in _byInstance.Where(t => t.Value.SentAt < since).ToList()) _byInstance.TryRemove(stale);
        return _byInstance.Values.OrderBy(t => t.Service, StringComparer.Ordinal).ThenBy(t => t.InstanceId, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyDictionary<string, string> UrlsByInstance() => Current().ToDictionary(t => t.InstanceId, t => t.Url);
}
