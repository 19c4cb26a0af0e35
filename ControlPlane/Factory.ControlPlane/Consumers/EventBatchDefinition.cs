using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>
/// Control-plane events are taken in batches (up to 200 messages, or what arrived within 10 ms; a message may carry
/// several events, see GroupPublisher) so that one transaction serves many of them.
/// </summary>
public sealed class EventBatchDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int MessageLimit = 200;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
    {
        endpoint.PrefetchCount = Math.Max(endpoint.PrefetchCount, MessageLimit * 2);
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(TimeSpan.FromMilliseconds(10)).SetConcurrencyLimit(1));
    }
}
