using MassTransit;

namespace Factory.Messaging;

public static class BusTransport
{
    /// <summary>Configures the chosen transport; <paramref name="endpoints"/> adds the service's own receive endpoints first.</summary>
    public static void UseFactoryTransport(this IBusRegistrationConfigurator bus, BusOptions options, Action<IBusRegistrationContext, IBusFactoryConfigurator>? endpoints = null)
    {
        if (options.Transport.Equals("inmemory", StringComparison.OrdinalIgnoreCase))
        {
            bus.UsingInMemory((context, cfg) =>
            {
                endpoints?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
            return;
        }
        bus.UsingRabbitMq((context, cfg) =>
        {
            var r = options.RabbitMq;
            cfg.Host(r.Host, r.Port, r.VirtualHost, h =>
            {
                h.Username(r.Username);
                h.Password(r.Password);
                h.PublisherConfirmation = true;
                h.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
            });
            endpoints?.Invoke(context, cfg);
            cfg.ConfigureEndpoints(context);
        });
    }
}
