using Factory.ControlPlane.Fleet;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>A host said where its /metrics is: Prometheus finds it through GET /api/fleet/targets.</summary>
public sealed class MetricsEndpointAnnouncedConsumer(ScrapeTargets targets) : IConsumer<MetricsEndpointAnnounced>
{
    public Task Consume(ConsumeContext<MetricsEndpointAnnounced> context)
    {
        targets.Announced(context.Message);
        return Task.CompletedTask;
    }
}
