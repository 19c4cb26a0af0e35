namespace Factory.Contracts.Messages;

/// <summary>
/// Published every few seconds by a host whose HTTP listener has an address only it knows (an ephemeral port): where
/// its /metrics is. The control plane lists these for Prometheus (GET /api/fleet/targets, http_sd_configs).
/// </summary>
public sealed record MetricsEndpointAnnounced
{
    /// <summary>factory-executor, factory-results-consumer, ...</summary>
    public required string Service { get; init; }
    /// <summary>The instance, e.g. the executor id.</summary>
    public required string InstanceId { get; init; }
    /// <summary>The listener's base address, e.g. http://127.0.0.1:40123; /metrics is under it.</summary>
    public required string Url { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}
