using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane.Consumers;

/// <summary>
/// Executors started builds: their items run, and each build is leased to its executor. A message carries one
/// executor's starts of a moment (<see cref="WorkItemStartedGroup"/>), and a batch of messages is one transaction. A
/// lone <see cref="WorkItemStarted"/>, as executors published before the groups, is taken too, so that executors not
/// yet upgraded keep their leases while a fleet is upgraded.
/// </summary>
public sealed class WorkItemStartedConsumer(IPlanStateStore state, DispatchOptions options, TimeProvider clock, ILogger<WorkItemStartedConsumer> logger)
    : IConsumer<Batch<WorkItemStartedGroup>>, IConsumer<Batch<WorkItemStarted>>
{
    public Task Consume(ConsumeContext<Batch<WorkItemStartedGroup>> context) =>
        MarkStartedAsync(GroupMembers.Of(context.Message, g => g.Starts, logger), context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<WorkItemStarted>> context) =>
        MarkStartedAsync(context.Message.Select(m => m.Message), context.CancellationToken);

    private Task MarkStartedAsync(IEnumerable<WorkItemStarted> started, CancellationToken ct) =>
        state.MarkStartedAsync(started.ToList(), clock.GetUtcNow(), options.Leases, ct);
}
