using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>Executors started builds: their items run, and each build is leased to its executor.</summary>
public sealed class WorkItemStartedConsumer(IPlanStateStore state, DispatchOptions options, TimeProvider clock) : IConsumer<Batch<WorkItemStarted>>
{
    public Task Consume(ConsumeContext<Batch<WorkItemStarted>> context) =>
        state.MarkStartedAsync(context.Message.Select(m => m.Message).ToList(), clock.GetUtcNow(), options.Leases, context.CancellationToken);
}
