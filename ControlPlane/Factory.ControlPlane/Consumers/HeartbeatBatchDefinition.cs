using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>
/// Heartbeats are taken in larger and slower batches than the other events (up to 1,000, or what arrived within
/// <see cref="DispatchOptions.HeartbeatWindow"/>, a second in the fleet): nothing waits on them but the fleet view and
/// the leases, which are stamped when the batch is handled and last tens of seconds, while a thousand executors send
/// hundreds a second. One statement a second for all of them, instead of one every few milliseconds, is what keeps the
/// control plane's CPU flat as the fleet grows.
/// </summary>
public sealed class HeartbeatBatchDefinition(DispatchOptions options) : ConsumerDefinition<ExecutorHeartbeatConsumer>
{
    public const int MessageLimit = 1000;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ExecutorHeartbeatConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.PrefetchCount = Math.Max(endpoint.PrefetchCount, MessageLimit * 2);
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(MessageLimit).SetTimeLimit(options.HeartbeatWindow).SetConcurrencyLimit(1));
    }
}
