using System.Text;
using System.Text.Json;
using Factory.ControlPlane.Planning;
using Factory.Contracts.Failures;
using Factory.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// The pools' dead-letter queues (wq-&lt;pool&gt;_error) on the broker: list what is there, and replay messages to
/// their work queue (an operator's redrive, once the cause is fixed).
/// </summary>
public sealed class DeadLetterQueue(RabbitMqOptions broker, PoolCatalog pools)
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken ct)
    {
        var result = new List<DeadLetter>();
        await WithChannelAsync(async channel =>
        {
            foreach (var pool in pools.Pools)
                foreach (var (message, _) in await BrowseAsync(channel, pool.Name, ct))
                    result.Add(message);
            return 0;
        }, ct);
        return result;
    }

    /// <summary>Moves the named messages (or all) back to their work queue; returns what was replayed.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ReplayAsync(IReadOnlyCollection<string>? messageIds, CancellationToken ct)
    {
        var replayed = new List<DeadLetter>();
        await WithChannelAsync(async channel =>
        {
            foreach (var pool in pools.Pools)
            {
                var browsed = await BrowseAsync(channel, pool.Name, ct);
                foreach (var (message, delivery) in browsed)
                {
                    if (messageIds is not null && !messageIds.Contains(message.MessageId)) continue;
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
                    await channel.BasicPublishAsync(WorkQueues.For(pool.Name), "", true, properties, delivery.Body, ct);
                    await channel.BasicAckAsync(delivery.DeliveryTag, false, ct);
                    replayed.Add(message);
                }
                foreach (var (_, delivery) in browsed.Where(b => !replayed.Contains(b.Message)))
                    await channel.BasicNackAsync(delivery.DeliveryTag, false, true, ct);
            }
            return 0;
        }, ct);
        return replayed;
    }

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
        Guid? buildId = null;
        string? key = null, planId = null, messageType = null;
        try
        {
            using var doc = JsonDocument.Parse(delivery.Body);
            if (doc.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array)
                messageType = string.Join(", ", types.EnumerateArray().Select(t => t.GetString()));
            if (doc.RootElement.TryGetProperty("message", out var message))
            {
                if (message.TryGetProperty("buildId", out var b) && b.TryGetGuid(out var g)) buildId = g;
                if (message.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object)
                {
                    key = item.TryGetProperty("idempotencyKey", out var k) ? k.GetString() : null;
                    planId = item.TryGetProperty("planId", out var p) ? p.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: listed with its reason, replayable only if an operator insists.
        }
        var reason = Header("MT-Fault-Message") ?? (Header("MT-Reason") is "skipped" or "dead-letter"
            ? $"not a work item: nothing on {queue[..^"_error".Length]} consumes message type {messageType ?? "(none)"}"
            : Header("MT-Reason"));
        return new DeadLetter(delivery.BasicProperties.MessageId ?? $"tag-{delivery.DeliveryTag}", queue, pool, buildId, key, planId,
            reason, Header("MT-Fault-ExceptionType"), Header("MT-Fault-Timestamp") ?? Header("MT-Host-Timestamp"));
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
