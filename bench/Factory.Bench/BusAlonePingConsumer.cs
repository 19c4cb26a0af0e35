using System.Threading.Channels;
using MassTransit;

namespace Factory.Bench;

/// <summary><see cref="BusAlone"/>'s consumer: does nothing but say which message arrived.</summary>
public sealed class BusAlonePingConsumer(Channel<int> arrived) : IConsumer<BusAlonePing>
{
    public Task Consume(ConsumeContext<BusAlonePing> context)
    {
        arrived.Writer.TryWrite(context.Message.Number);
        return Task.CompletedTask;
    }
}
