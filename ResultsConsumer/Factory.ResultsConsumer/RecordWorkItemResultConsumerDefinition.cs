using Factory.Messaging;
using MassTransit;

namespace Factory.ResultsConsumer;

/// <summary>The results queue: retry while the record store is away; a redelivered result changes nothing.</summary>
public sealed class RecordWorkItemResultConsumerDefinition : ConsumerDefinition<RecordWorkItemResultConsumer>
{
    private readonly ResultsConsumerOptions _options;

    public RecordWorkItemResultConsumerDefinition(ResultsConsumerOptions options)
    {
        _options = options;
        EndpointName = WorkQueues.Results;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<RecordWorkItemResultConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseMessageRetry(r => RetryPolicy.Configure(r, _options.Retry));
}
