using System.Text.Json.Serialization;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Api.Apis;

/// <summary>
/// GET /api/fleet/targets in Prometheus's http_sd_configs format: the control plane itself (at the address the scraper
/// used to reach it) and every host that announced its metrics endpoint, each with service and instance labels.
/// </summary>
public sealed record PrometheusTargets(
    [property: JsonPropertyName("targets")] IReadOnlyList<string> Targets,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels)
{
    public static IReadOnlyList<PrometheusTargets> Of(string controlPlaneHost, IReadOnlyList<MetricsEndpointAnnounced> announced) =>
    [
        new([controlPlaneHost], new Dictionary<string, string> { ["service"] = "factory-control-plane" }),
        .. announced.Select(a => new PrometheusTargets([new Uri(a.Url).Authority], new Dictionary<string, string>
        {
            ["service"] = a.Service, ["instance_id"] = a.InstanceId,
        })),
    ];
}
