using Factory.ControlPlane.Runs;
using Factory.ControlPlane.Telemetry;
using Factory.Contracts.Messages;
using Factory.Messaging;
using MassTransit;

namespace Factory.ControlPlane.Bus;

/// <summary>
/// Sends to the pool's work queue exchange, persistent, with the plan's priority where the transport has one
/// (RabbitMQ priority queues; the in-memory bus of the embedded run is first in, first out). Each send is a span in
/// the item's trace, which MassTransit carries to the executor.
/// </summary>
public sealed class MassTransitWorkSender(IBus bus) : IWorkSender
{
    public async Task SendAsync(ExecuteWorkItem command, CancellationToken ct)
    {
        using var span = ControlPlaneTelemetry.StartDispatch(command);
        var endpoint = await bus.GetSendEndpoint(WorkQueues.AddressFor(command.Item.Pool));
        await endpoint.Send(command, context =>
        {
            context.Durable = true;
            if (context.TryGetPayload<RabbitMqSendContext>(out _))
                context.SetPriority((byte)Math.Clamp(command.Item.Priority, 0, WorkQueues.MaxPriority));
        }, ct);
        ControlPlaneMetrics.Sent.Add(1, ControlPlaneMetrics.Pool(command.Item.Pool));
        if (command.Attempt > 1) ControlPlaneMetrics.Resent.Add(1, ControlPlaneMetrics.Pool(command.Item.Pool));
    }
}
