using Factory.Planning;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using Factory.Messaging;
using RabbitMQ.Client;

namespace Factory.ControlPlane.Bus;

/// <summary>
/// Declares, at start, what MassTransit would otherwise declare only when a consumer first starts: every pool's
/// priority work queue and its dead-letter queue, and the results queue with the binding from WorkItemCompleted's
/// exchange. So a plan submitted before any executor (or results consumer) ever ran is not dropped for want of a
/// binding. The arguments must be exactly MassTransit's (durable, fanout exchange named as its queue, x-max-priority
/// on work queues and their error queues), or the broker refuses the later, equal declaration.
/// </summary>
public sealed class RabbitMqBrokerTopology(RabbitMqOptions options, PoolCatalog pools) : IBrokerTopology
{
    public async Task DeclareAsync(CancellationToken ct)
    {
        await using var connection = await RabbitMqConnections.OpenAsync(options, "factory-control-plane-topology", ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        foreach (var pool in pools.Pools.Select(p => p.Name))
        {
            // MassTransit gives a priority queue's error queue the same x-max-priority.
            var priority = new Dictionary<string, object?> { ["x-max-priority"] = (int)WorkQueues.MaxPriority };
            await QueueAsync(channel, WorkQueues.For(pool), priority, ct);
            await QueueAsync(channel, WorkQueues.DeadLetterFor(pool), priority, ct);
        }
        await QueueAsync(channel, WorkQueues.Results, null, ct);
        await QueueAsync(channel, WorkQueues.ResultsDeadLetter, null, ct);
        var completed = MessageExchange<WorkItemCompleted>();
        await channel.ExchangeDeclareAsync(completed, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.ExchangeBindAsync(WorkQueues.Results, completed, "", cancellationToken: ct);
    }

    /// <summary>MassTransit's exchange for a message type: "Namespace:TypeName".</summary>
    public static string MessageExchange<T>() => $"{typeof(T).Namespace}:{typeof(T).Name}";

    private static async Task QueueAsync(IChannel channel, string name, IDictionary<string, object?>? arguments, CancellationToken ct)
    {
        await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: ct);
        await channel.QueueBindAsync(name, name, "", cancellationToken: ct);
    }
}
