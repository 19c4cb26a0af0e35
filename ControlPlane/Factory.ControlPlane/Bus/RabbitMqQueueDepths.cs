using Factory.ControlPlane.Runs;
using Factory.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.ControlPlane.Bus;

/// <summary>
/// Ready messages on queues, by a passive declare (null when the queue does not exist). One connection serves every
/// read and is opened again only once it closed: the metrics sample reads the depths every few seconds, and a new
/// connection each time (TCP, AMQP handshake, authentication) cost the control plane and the broker more than the reads.
/// </summary>
public sealed class RabbitMqQueueDepths(RabbitMqOptions options) : IQueueDepths, IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IConnection? _connection;

    public async Task<IReadOnlyDictionary<string, long?>> ReadyInQueuesAsync(IReadOnlyCollection<string> queues, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        var ready = new Dictionary<string, long?>();
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

    private async Task<IConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _opening.WaitAsync(ct);
        try
        {
            if (_connection is { IsOpen: true } opened) return opened;
            if (_connection is { } closed) await closed.DisposeAsync();
            _connection = null;
            return _connection = await RabbitMqConnections.OpenAsync(options, "factory-control-plane-depths", ct);
        }
        finally
        {
            _opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection) await connection.DisposeAsync();
        _opening.Dispose();
    }
}
