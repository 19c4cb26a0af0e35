using System.Text;
using Factory.ControlPlane.Planning;
using Factory.Contracts.Failures;
using Factory.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// The pools' dead-letter queues (wq-&lt;pool&gt;_error) on the broker: list what is there, replay messages to their work
/// queue (an operator's redrive, once the cause is fixed) and purge them. A message is read without trusting it
/// (<see cref="DeadLetterBody"/>): a malformed one is listed with why, refused for replay, and can be purged; it never
/// breaks the listing.
/// </summary>
public sealed class DeadLetterQueue(RabbitMqOptions broker, PoolCatalog pools)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken ct)
    {
        var result = new List<DeadLetter>();
        await ForEachAsync((_, browsed) =>
        {
            result.AddRange(browsed.Select(b => b.Message));
            return Task.CompletedTask;
        }, ct);
        return result;
    }

    /// <summary>
    /// Moves the named messages (or, with null, every well-formed one) back to their work queue. When a named message is
    /// malformed nothing is replayed and it comes back in <see cref="DeadLetterReplay.Refused"/>.
    /// </summary>
    public async Task<DeadLetterReplay> ReplayAsync(IReadOnlyCollection<string>? messageIds, CancellationToken ct)
    {
        if (messageIds is not null)
        {
            var refused = (await ListAsync(ct)).Where(m => messageIds.Contains(m.MessageId) && m.Malformed is not null).ToList();
            if (refused.Count > 0) return new DeadLetterReplay([], refused);
        }
        var replayed = new List<DeadLetter>();
        await ForEachAsync(async (channel, browsed) =>
        {
            foreach (var (message, delivery) in browsed)
            {
                if (message.Malformed is not null || (messageIds is not null && !messageIds.Contains(message.MessageId))) continue;
                var properties = new BasicProperties
                {
                    ContentType = delivery.BasicProperties.ContentType,
                    MessageId = delivery.BasicProperties.MessageId,
                    Priority = delivery.BasicProperties.Priority,
                    Persistent = true,
                    Headers = delivery.BasicProperties.Headers?
                        .Where(h => !h.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value),
                };
                await channel.BasicPublishAsync(WorkQueues.For(message.Pool), "", true, properties, delivery.Body, ct);
                await channel.BasicAckAsync(delivery.DeliveryTag, false, ct);
                replayed.Add(message);
            }
        }, ct, keep: replayed);
        return new DeadLetterReplay(replayed, []);
    }

    /// <summary>Removes the named messages (or, with null, every malformed one) for good; returns what was removed.</summary>
    public async Task<IReadOnlyList<DeadLetter>> PurgeAsync(IReadOnlyCollection<string>? messageIds, CancellationToken ct)
    {
        var purged = new List<DeadLetter>();
        await ForEachAsync(async (channel, browsed) =>
        {
            foreach (var (message, delivery) in browsed)
            {
                if (messageIds is null ? message.Malformed is null : !messageIds.Contains(message.MessageId)) continue;
                await channel.BasicAckAsync(delivery.DeliveryTag, false, ct);
                purged.Add(message);
            }
        }, ct, keep: purged);
        return purged;
    }

    /// <summary>
    /// Browses each pool's dead-letter queue in turn and lets <paramref name="act"/> ack what it took; everything it did
    /// not take (not in <paramref name="keep"/>) is put back in order.
    /// </summary>
    private Task ForEachAsync(Func<IChannel, List<(DeadLetter Message, BasicGetResult Delivery)>, Task> act, CancellationToken ct, List<DeadLetter>? keep = null) =>
        WithChannelAsync(async channel =>
        {
            foreach (var pool in pools.Pools)
            {
                var browsed = await BrowseAsync(channel, pool.Name, ct);
                var before = keep?.Count ?? 0;
                await act(channel, browsed);
                var taken = keep?.Skip(before).ToHashSet(ReferenceEqualityComparer.Instance) ?? [];
                foreach (var (message, delivery) in browsed.Where(b => !taken.Contains(b.Message)))
                    await channel.BasicNackAsync(delivery.DeliveryTag, false, true, ct);
            }
            return 0;
        }, ct);

    private static async Task<List<(DeadLetter Message, BasicGetResult Delivery)>> BrowseAsync(IChannel channel, string pool, CancellationToken ct)
    {
        var queue = WorkQueues.DeadLetterFor(pool);
        var browsed = new List<(DeadLetter, BasicGetResult)>();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, ct);
        }
        catch (OperationInterruptedException)
        {
            return browsed; // No dead-letter queue yet: nothing ever failed in this pool.
        }
        // Unacknowledged gets stay with this channel until acked or nacked, so each message is seen once.
        while (await channel.BasicGetAsync(queue, false, ct) is { } delivery)
            browsed.Add((Describe(queue, pool, delivery), delivery));
        return browsed;
    }

    private static DeadLetter Describe(string queue, string pool, BasicGetResult delivery)
    {
        var headers = delivery.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var v) ? v switch { byte[] b => Encoding.UTF8.GetString(b), null => null, _ => v.ToString() } : null;
        var body = DeadLetterBody.Read(delivery.Body);
        var reason = Header("MT-Fault-Message") ?? (Header("MT-Reason") is "skipped" or "dead-letter"
            ? $"not a work item: nothing on {WorkQueues.For(pool)} consumes message type {body.MessageType ?? "(none)"}"
            : Header("MT-Reason")) ?? body.Malformed;
        var id = string.IsNullOrEmpty(delivery.BasicProperties.MessageId) ? DeadLetterBody.ContentId(delivery.Body.Span) : delivery.BasicProperties.MessageId;
        return new DeadLetter(id, queue, pool, body.BuildId, body.IdempotencyKey, body.PlanId,
            reason, Header("MT-Fault-ExceptionType"), Header("MT-Fault-Timestamp") ?? Header("MT-Host-Timestamp"), body.Malformed, body.MessageType);
    }

    private async Task<T> WithChannelAsync<T>(Func<IChannel, Task<T>> body, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            HostName = broker.Host, Port = broker.Port, VirtualHost = broker.VirtualHost, UserName = broker.Username, Password = broker.Password,
            ClientProvidedName = "factory-control-plane-dlq",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(ct);
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            return await body(channel);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new InfrastructureException($"rabbitmq {broker}", "not reachable", ex);
        }
    }
}
