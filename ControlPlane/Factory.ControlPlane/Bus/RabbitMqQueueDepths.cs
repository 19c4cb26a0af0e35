using Factory.ControlPlane.Runs;
using Factory.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.ControlPlane.Bus;

/// <summary>Ready messages on queues, by a passive declare (null when the queue does not exist).</summary>
public sealed class RabbitMqQueueDepths(RabbitMqOptions options) : IQueueDepths
{
    public async Task<IReadOnlyDictionary<string, long?>> ReadyInQueuesAsync(IReadOnlyCollection<string> queues, CancellationToken ct)
    {
        var ready = new Dictionary<string, long?>();
        await using var connection = await RabbitMqConnections.OpenAsync(options, "factory-control-plane-depths", ct);
        foreach (var queue in queues.Distinct())
        {
            // A passive declare of a missing queue closes the channel: one channel per queue.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                ready[queue] = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
            }
            catch (OperationInterruptedException)
            {
                ready[queue] = null;
            }
        }
        return ready;
    }
}
