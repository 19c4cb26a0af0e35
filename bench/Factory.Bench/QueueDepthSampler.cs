using Factory.Testing;
using RabbitMQ.Client;

namespace Factory.Bench;

/// <summary>
/// Samples the ready messages of some queues in a virtual host every interval (a passive declare each, on one channel of
/// its own), until disposed; <see cref="Between"/> gives what was seen in a window.
/// </summary>
public sealed class QueueDepthSampler : IAsyncDisposable
{
    private readonly List<(DateTime At, uint[] Depths)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public IReadOnlyList<string> Queues { get; }

    private QueueDepthSampler(IConnection connection, IReadOnlyList<string> queues, TimeSpan interval)
    {
        Queues = queues;
        _sampling = SampleAsync(connection, interval, _stop.Token);
    }

    public static async Task<QueueDepthSampler> StartAsync(string virtualHost, IReadOnlyList<string> queues, TimeSpan interval, CancellationToken ct)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = 5672, VirtualHost = virtualHost, UserName = LocalCredentials.Current.AmqpUser, Password = LocalCredentials.Current.AmqpPassword };
        return new QueueDepthSampler(await factory.CreateConnectionAsync("bench-queue-depths", ct), queues, interval);
    }

    /// <summary>Each queue's depths sampled in [from, to), in order.</summary>
    public IReadOnlyList<uint[]> Between(DateTime from, DateTime to)
    {
        lock (_samples) return _samples.Where(s => s.At >= from && s.At < to).Select(s => s.Depths).ToList();
    }

    private async Task SampleAsync(IConnection connection, TimeSpan interval, CancellationToken ct)
    {
        await using var _ = connection;
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                var depths = new uint[Queues.Count];
                for (var i = 0; i < Queues.Count; i++) depths[i] = (await channel.QueueDeclarePassiveAsync(Queues[i], ct)).MessageCount;
                lock (_samples) _samples.Add((DateTime.UtcNow, depths));
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
