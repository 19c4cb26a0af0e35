using MassTransit;

namespace Factory.Messaging;

public static class BusTransport
{
    /// <summary>Configures the chosen transport; <paramref name="endpoints"/> adds the service's own receive endpoints first.</summary>
    public static void UseFactoryTransport(this IBusRegistrationConfigurator bus, BusOptions options, Action<IBusRegistrationContext, IBusFactoryConfigurator>? endpoints = null)
    {
        // MassTransit would report usage to its vendor over the internet: Factory talks to nothing but its own services.
        bus.DisableUsageTelemetry();
        if (options.Problems().ToList() is { Count: > 0 } problems)
            throw new Microsoft.Extensions.Options.OptionsValidationException(BusOptions.Section, typeof(BusOptions), problems);
        if (options.UsesInMemory)
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
            // A message no consumer on a queue takes (MassTransit "skips" it) lands in the queue's dead-letter
            // queue next to the faulted ones, with its reason, instead of a separate _skipped queue.
            cfg.SendTopology.DeadLetterQueueNameFormatter = new SkippedIntoErrorQueue();
            endpoints?.Invoke(context, cfg);
            cfg.ConfigureEndpoints(context);
        });
    }

    private sealed class SkippedIntoErrorQueue : IDeadLetterQueueNameFormatter
    {
        public string FormatDeadLetterQueueName(string queueName) => queueName + "_error";
    }
}
