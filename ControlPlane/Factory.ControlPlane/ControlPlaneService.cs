using Factory.ControlPlane.Bus;
using Factory.ControlPlane.Consumers;
using Factory.ControlPlane.Fleet;
using Factory.ControlPlane.DeadLetters;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Factory.Messaging;
using Factory.Records;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.ControlPlane;

public static class ControlPlaneService
{
    /// <summary>The fleet's control plane: the core over RabbitMQ, with plan state and records in PostgreSQL.</summary>
    public static IHostApplicationBuilder AddControlPlaneServices(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();
        var bus = BusOptions.From(builder.Configuration);
        var services = builder.Services;
        services.AddControlPlaneCore(options);
        services.AddPostgresRecordStore(builder.Configuration);
        services.AddSingleton<IPlanStateStore, PostgresPlanStateStore>();
        services.AddSingleton<IServedPools, HeartbeatServedPools>();
        services.AddSingleton(bus.RabbitMq);
        services.AddSingleton<IQueueDepths, RabbitMqQueueDepths>();
        services.AddSingleton<IBrokerTopology, RabbitMqBrokerTopology>();
        services.AddSingleton<DeadLetterQueue>();
        services.AddSingleton<FleetReader>();
        services.AddHostedService<FleetGauges>();
        services.AddMassTransit(x =>
        {
            x.AddControlPlaneConsumers();
            x.AddConsumer<MetricsEndpointAnnouncedConsumer>();
            x.AddConfigureEndpointsCallback((_, cfg) => cfg.UseMessageRetry(r => RetryPolicy.Configure(r, options.Retry)));
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("control-plane", false));
            x.UseFactoryTransport(bus);
        });
        return builder;
    }
}
