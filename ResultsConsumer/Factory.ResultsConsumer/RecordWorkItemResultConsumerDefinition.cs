using Factory.Messaging;
using MassTransit;

namespace Factory.ResultsConsumer;

/// <summary>
/// The results queue: retry while the record store is away; a redelivered result changes nothing. Many results are
/// taken at once (ResultsConsumer:ConcurrentMessageLimit) so that their records are written in groups.
/// </summary>
public sealed class RecordWorkItemResultConsumerDefinition : ConsumerDefinition<RecordWorkItemResultConsumer>
{
    private readonly ResultsConsumerOptions _options;

    public RecordWorkItemResultConsumerDefinition(ResultsConsumerOptions options)
    {
        _options = options;
        EndpointName = WorkQueues.Results;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<RecordWorkItemResultConsumer> consumer, IRegistrationContext context)
    {
        if (_options.ConcurrentMessageLimit < 1)
            throw new InvalidOperationException($"{ResultsConsumerOptions.Section}:ConcurrentMessageLimit must be at least 1 (it is {_options.ConcurrentMessageLimit})");
        endpoint.PrefetchCount = Math.Max(endpoint.PrefetchCount, _options.ConcurrentMessageLimit);
        endpoint.ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
        endpoint.UseMessageRetry(r => RetryPolicy.Configure(r, _options.Retry));
    }
}
