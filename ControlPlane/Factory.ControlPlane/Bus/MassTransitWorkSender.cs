using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using Factory.Messaging;
using MassTransit;

namespace Factory.ControlPlane.Bus;

/// <summary>
/// Sends to the pool's work queue exchange, persistent, with the plan's priority where the transport has one
/// (RabbitMQ priority queues; the in-memory bus of the embedded run is first in, first out).
/// </summary>
public sealed class MassTransitWorkSender(IBus bus) : IWorkSender
{
    public async Task SendAsync(ExecuteWorkItem command, CancellationToken ct)
    {
        var endpoint = await bus.GetSendEndpoint(WorkQueues.AddressFor(command.Item.Pool));
        await endpoint.Send(command, context =>
        {
            context.Durable = true;
            if (context.TryGetPayload<RabbitMqSendContext>(out _))
                context.SetPriority((byte)Math.Clamp(command.Item.Priority, 0, WorkQueues.MaxPriority));
        }, ct);
    }
}
