using System.Diagnostics;
using System.Threading.Channels;
using Factory.Messaging;
using Factory.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Bench;

/// <summary>
/// Factory's bus alone: MassTransit as the services set it up (<see cref="BusTransport.UseFactoryTransport"/>: RabbitMQ,
/// publisher confirms, System.Text.Json envelopes), in a virtual host of its own on the same broker as the raw row.
/// Messages of about 1 KB are published 100 at a time, each awaiting its confirm, and taken by one consumer that does
/// nothing (prefetch 200, as the raw row's). The whole loop carries about four messages per item (work, started,
/// completed, recorded), each published once and consumed once, so this rate over the loop's messages per item is what
/// <c>dispatch_throughput</c> could reach if nothing but the bus cost anything: its ceiling from the messages, as
/// <see cref="PipelineAlone"/> is its ceiling from the executor's work. Both sides run in this process, so its CPU per
/// message is MassTransit's publish and consume together.
/// </summary>
public static class BusAlone
{
    public const string Id = "bus_alone";
    private const string Queue = "bench-bus";
    private const int Batch = 100, PayloadChars = 1000;

    public sealed record Result(int Messages, double Seconds, double MessagesPerSecond, double CpuMsPerMessage, double BrokerCpuMsPerMessage);

    public static async Task<Result> RunAsync(int messages, CancellationToken ct)
    {
        var vhost = "factory_bench_bus_" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await LocalFleet.AddVhostAsync(vhost);
            var arrived = Channel.CreateUnbounded<int>();
            var options = new BusOptions
            {
                RabbitMq = new RabbitMqOptions { VirtualHost = vhost, Username = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword },
            };
            await using var provider = new ServiceCollection()
                .AddSingleton(arrived)
                .AddMassTransit(bus =>
                {
                    bus.AddConsumer<BusAlonePingConsumer>().Endpoint(e =>
                    {
                        e.Name = Queue;
                        e.PrefetchCount = 200;
                    });
                    bus.UseFactoryTransport(options);
                })
                .BuildServiceProvider();
            var control = provider.GetRequiredService<IBusControl>();
            await control.StartAsync(ct);
            try
            {
                Shell.Log($"bus alone (MassTransit over RabbitMQ): {messages} messages");
                var payload = new string('x', PayloadChars);
                await PublishAndDrainAsync(control, arrived.Reader, Math.Min(messages, 1000), payload, ct); // warm-up (and the JIT)
                using var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var brokerBefore = ProcessUsage.CpuSecondsOf("beam.smp");
                var clock = Stopwatch.StartNew();
                await PublishAndDrainAsync(control, arrived.Reader, messages, payload, ct);
                var seconds = clock.Elapsed.TotalSeconds;
                process.Refresh();
                var cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / messages;
                var brokerMs = 1000 * (ProcessUsage.CpuSecondsOf("beam.smp") - brokerBefore) / messages;
                Shell.Log($"bus alone: {messages / seconds:F0} msg/s; this process spent {cpuMs:F3} ms of CPU per message (publish and consume), the broker {brokerMs:F3}");
                return new Result(messages, seconds, messages / seconds, cpuMs, brokerMs);
            }
            finally
            {
                await control.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            await Shell.Quietly("delete_vhost", () => LocalFleet.RabbitCtlAsync("delete_vhost", vhost));
        }
    }

    /// <summary>Publishes count messages, awaiting their confirms per batch, and returns once the consumer has them all.</summary>
    private static async Task PublishAndDrainAsync(IBus bus, ChannelReader<int> arrived, int count, string payload, CancellationToken ct)
    {
        var confirms = new List<Task>(Batch);
        for (var i = 0; i < count; i++)
        {
            confirms.Add(bus.Publish(new BusAlonePing { Number = i, Payload = payload }, ct));
            if (confirms.Count == Batch || i == count - 1)
            {
                await Task.WhenAll(confirms);
                confirms.Clear();
            }
        }
        for (var i = 0; i < count; i++) await arrived.ReadAsync(ct);
    }
}
