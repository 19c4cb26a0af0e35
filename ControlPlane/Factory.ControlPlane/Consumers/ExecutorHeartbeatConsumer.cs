using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>Executors are alive: they count as serving their pools, and the leases of the builds they run are renewed.</summary>
public sealed class ExecutorHeartbeatConsumer(IPlanStateStore state, DispatchOptions options, TimeProvider clock) : IConsumer<Batch<ExecutorHeartbeat>>
{
    public Task Consume(ConsumeContext<Batch<ExecutorHeartbeat>> context) =>
        state.RecordHeartbeatsAsync(context.Message.Select(m => m.Message).ToList(), clock.GetUtcNow(), options.Leases, context.CancellationToken);
}
