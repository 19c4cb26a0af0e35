using System.Diagnostics;
using System.Threading.Channels;
using Factory.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Factory.Bench;

/// <summary>
/// The broker alone, with RabbitMQ.Client 7 in a virtual host of its own: ~1 KB persistent messages to a durable
/// queue with publisher confirms, one consumer (prefetch 200, manual acks) on its own connection. Throughput
/// publishes in confirmed batches of 100; latency sends one message at a time (publish → delivered to the consumer).
/// </summary>
public static class RawBrokerThroughput
{
    public sealed record Result(string BrokerVersion, int Messages, double Seconds, double MessagesPerSecond, Latency Latency);

    private const string Queue = "bench";
    private const int MessageBytes = 1024, Batch = 100;
    private const ushort Prefetch = 200;

    public static async Task<Result> RunAsync(int messages, int samples, CancellationToken ct)
    {
        var vhost = "factory_bench_raw_" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await LocalFleet.AddVhostAsync(vhost);
            var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = 5672, VirtualHost = vhost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
            await using var publisherConnection = await factory.CreateConnectionAsync("bench-publisher", ct);
            await using var consumerConnection = await factory.CreateConnectionAsync("bench-consumer", ct);
            await using var publisher = await publisherConnection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            await using var consumer = await consumerConnection.CreateChannelAsync(cancellationToken: ct);
            await publisher.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
            await consumer.BasicQosAsync(0, Prefetch, false, ct);

            // Each delivery yields its publish→deliver time: the body starts with the Stopwatch timestamp of its publish.
            var delivered = Channel.CreateUnbounded<double>();
            var consuming = new AsyncEventingBasicConsumer(consumer);
            consuming.ReceivedAsync += async (_, e) =>
            {
                var sent = BitConverter.ToInt64(e.Body.Span[..8]);
                delivered.Writer.TryWrite(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                await consumer.BasicAckAsync(e.DeliveryTag, multiple: false);
            };
            await consumer.BasicConsumeAsync(Queue, autoAck: false, consuming, ct);
            var version = publisherConnection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : "?";

            Shell.Log($"raw RabbitMQ {version}: {messages} messages, then {samples} one at a time");
            await PublishAndDrainAsync(publisher, delivered.Reader, Math.Min(messages, 1000), ct); // warm-up
            var brokerBefore = ProcessUsage.CpuSecondsOf("beam.smp");
            var clock = Stopwatch.StartNew();
            await PublishAndDrainAsync(publisher, delivered.Reader, messages, ct);
            var seconds = clock.Elapsed.TotalSeconds;
            // What one message costs the broker itself, to set against the loop's messages per item.
            Shell.Log($"raw RabbitMQ: {messages / seconds:F0} msg/s; the broker (beam.smp) spent {1000 * (ProcessUsage.CpuSecondsOf("beam.smp") - brokerBefore) / messages:F3} ms of CPU per message");

            var latencies = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                await publisher.BasicPublishAsync("", Queue, mandatory: true, Persistent, Body(), ct);
                latencies.Add(await delivered.Reader.ReadAsync(ct));
            }
            return new Result(version, messages, seconds, messages / seconds, Latency.Of(latencies));
        }
        finally
        {
            await Shell.Quietly("delete_vhost", () => LocalFleet.RabbitCtlAsync("delete_vhost", vhost));
        }
    }

    private static readonly BasicProperties Persistent = new() { DeliveryMode = DeliveryModes.Persistent };

    /// <summary>Publishes count messages, awaiting confirms per batch, and returns once the consumer has them all.</summary>
    private static async Task PublishAndDrainAsync(IChannel publisher, ChannelReader<double> delivered, int count, CancellationToken ct)
    {
        var confirms = new List<ValueTask>(Batch);
        for (var i = 0; i < count; i++)
        {
            confirms.Add(publisher.BasicPublishAsync("", Queue, mandatory: true, Persistent, Body(), ct));
            if (confirms.Count == Batch || i == count - 1)
            {
                foreach (var confirm in confirms) await confirm;
                confirms.Clear();
            }
        }
        for (var i = 0; i < count; i++) await delivered.ReadAsync(ct);
    }

    private static byte[] Body()
    {
        var body = new byte[MessageBytes];
        BitConverter.TryWriteBytes(body, Stopwatch.GetTimestamp());
        return body;
    }
}
