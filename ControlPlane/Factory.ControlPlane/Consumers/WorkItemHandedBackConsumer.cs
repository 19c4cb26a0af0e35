using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>Draining executors handed builds back to their queues: each waits as queued again, under the queued lease.</summary>
public sealed class WorkItemHandedBackConsumer(IPlanStateStore state, DispatchOptions options, TimeProvider clock) : IConsumer<Batch<WorkItemHandedBack>>
{
    public Task Consume(ConsumeContext<Batch<WorkItemHandedBack>> context) =>
        state.MarkHandedBackAsync(context.Message.Select(m => m.Message).ToList(), clock.GetUtcNow(), options.Leases, context.CancellationToken);
}
