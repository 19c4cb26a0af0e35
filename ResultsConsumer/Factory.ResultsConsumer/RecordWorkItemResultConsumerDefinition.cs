using MassTransit;

namespace Factory.ResultsConsumer;

/// <summary>The results queue: retry while the record store is away; a redelivered result changes nothing.</summary>
public sealed class RecordWorkItemResultConsumerDefinition : ConsumerDefinition<RecordWorkItemResultConsumer>
{
    public RecordWorkItemResultConsumerDefinition() => EndpointName = Factory.Messaging.WorkQueues.Results;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<RecordWorkItemResultConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r =>
        {
            r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
            r.Handle<Factory.Contracts.Failures.InfrastructureException>();
        });
    }
}
