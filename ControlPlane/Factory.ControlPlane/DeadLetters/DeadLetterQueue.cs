using System.Text;
using Factory.Planning;
using Factory.Contracts.Failures;
using Factory.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Factory.ControlPlane.DeadLetters;

/// <summary>
/// The dead-letter queues on the broker: each pool's (wq-&lt;pool&gt;_error, work items) and the results queue's
/// (results_error, results the results consumer gave up on or refused). Lists what is there, replays messages to the
/// queue they came from (an operator's redrive, once the cause is fixed) and purges them. A message is read without
/// trusting it (<see cref="DeadLetterBody"/>); what replay refuses is <see cref="DeadLetterReplayPolicy"/>'s call
/// (a malformed message, an untrusted result): it is listed with why, and can be purged; it never breaks the listing.
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
    /// Moves the named messages (or, with null, every replayable one) back to the queue they came from. When replay
    /// refuses a named message (<see cref="DeadLetter.ReplayRefused"/>) nothing is replayed and it comes back in
    /// <see cref="DeadLetterReplay.Refused"/>.
    /// </summary>
    public async Task<DeadLetterReplay> ReplayAsync(IReadOnlyCollection<string>? messageIds, CancellationToken ct)
    {
        if (messageIds is not null)
        {
            var refused = (await ListAsync(ct)).Where(m => messageIds.Contains(m.MessageId) && m.ReplayRefused is not null).ToList();
            if (refused.Count > 0) return new DeadLetterReplay([], refused);
        }
        var replayed = new List<DeadLetter>();
        await ForEachAsync(async (channel, browsed) =>
        {
            foreach (var (message, delivery) in browsed)
            {
                if (message.ReplayRefused is not null || (messageIds is not null && !messageIds.Contains(message.MessageId))) continue;
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
                var target = message.Kind == DeadLetterKind.Result ? WorkQueues.Results : WorkQueues.For(message.Pool!);
                await channel.BasicPublishAsync(target, "", true, properties, delivery.Body, ct);
                await channel.BasicAckAsync(delivery.DeliveryTag, false, ct);
                replayed.Add(message);
            }
        }, ct, keep: replayed);
        return new DeadLetterReplay(replayed, []);
    }

    /// <summary>Removes every message <paramref name="pick"/> picks, for good; returns what was removed.</summary>
    public async Task<IReadOnlyList<DeadLetter>> PurgeAsync(Func<DeadLetter, bool> pick, CancellationToken ct)
    {
        var purged = new List<DeadLetter>();
        await ForEachAsync(async (channel, browsed) =>
        {
            foreach (var (message, delivery) in browsed)
            {
                if (!pick(message)) continue;
                await channel.BasicAckAsync(delivery.DeliveryTag, false, ct);
                purged.Add(message);
            }
        }, ct, keep: purged);
        return purged;
    }

    /// <summary>The messages named by id.</summary>
    public static Func<DeadLetter, bool> Named(IReadOnlyCollection<string> messageIds) => m => messageIds.Contains(m.MessageId);

    /// <summary>Every malformed message: what `dlq purge --malformed` removes.</summary>
    public static bool IsMalformed(DeadLetter message) => message.Malformed is not null;

    /// <summary>Every untrusted result: what `dlq purge --untrusted` removes.</summary>
    public static bool IsUntrusted(DeadLetter message) => DeadLetterReplayPolicy.IsUntrusted(message.Kind, message.ExceptionType);

    /// <summary>
    /// Browses each dead-letter queue in turn (the pools', then results') and lets <paramref name="act"/> ack what it took; everything it did
    /// not take (not in <paramref name="keep"/>) is put back in order.
    /// </summary>
    private Task ForEachAsync(Func<IChannel, List<(DeadLetter Message, BasicGetResult Delivery)>, Task> act, CancellationToken ct, List<DeadLetter>? keep = null) =>
        WithChannelAsync(async channel =>
        {
            foreach (var pool in pools.Pools.Select(p => (string?)p.Name).Append(null))
            {
                var browsed = await BrowseAsync(channel, pool, ct);
                var before = keep?.Count ?? 0;
                await act(channel, browsed);
                var taken = keep?.Skip(before).ToHashSet(ReferenceEqualityComparer.Instance) ?? [];
                foreach (var (message, delivery) in browsed.Where(b => !taken.Contains(b.Message)))
                    await channel.BasicNackAsync(delivery.DeliveryTag, false, true, ct);
            }
            return 0;
        }, ct);

    /// <summary>A pool's dead-letter queue, or with a null pool the results queue's.</summary>
    private static async Task<List<(DeadLetter Message, BasicGetResult Delivery)>> BrowseAsync(IChannel channel, string? pool, CancellationToken ct)
    {
        var queue = pool is null ? WorkQueues.ResultsDeadLetter : WorkQueues.DeadLetterFor(pool);
        var browsed = new List<(DeadLetter, BasicGetResult)>();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, ct);
        }
        catch (OperationInterruptedException)
        {
            return browsed; // No dead-letter queue yet: nothing ever failed there.
        }
        // Unacknowledged gets stay with this channel until acked or nacked, so each message is seen once.
        while (await channel.BasicGetAsync(queue, false, ct) is { } delivery)
            browsed.Add((Describe(queue, pool, delivery), delivery));
        return browsed;
    }

    private static DeadLetter Describe(string queue, string? pool, BasicGetResult delivery)
    {
        var headers = delivery.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var v) ? v switch { byte[] b => Encoding.UTF8.GetString(b), null => null, _ => v.ToString() } : null;
        var kind = pool is null ? DeadLetterKind.Result : DeadLetterKind.WorkItem;
        var body = pool is null ? DeadLetterBody.ReadResult(delivery.Body) : DeadLetterBody.Read(delivery.Body);
        var source = pool is null ? WorkQueues.Results : WorkQueues.For(pool);
        var reason = Header("MT-Fault-Message") ?? (Header("MT-Reason") is "skipped" or "dead-letter"
            ? $"not a {(pool is null ? "result" : "work item")}: nothing on {source} consumes message type {body.MessageType ?? "(none)"}"
            : Header("MT-Reason")) ?? body.Malformed;
        var exceptionType = Header("MT-Fault-ExceptionType");
        var id = string.IsNullOrEmpty(delivery.BasicProperties.MessageId) ? DeadLetterBody.ContentId(delivery.Body.Span) : delivery.BasicProperties.MessageId;
        return new DeadLetter(id, queue, pool, body.BuildId, body.IdempotencyKey, body.PlanId,
            reason, exceptionType, Header("MT-Fault-Timestamp") ?? Header("MT-Host-Timestamp"), body.Malformed, body.MessageType,
            kind, DeadLetterReplayPolicy.Refusal(kind, body, exceptionType));
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
