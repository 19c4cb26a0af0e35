using Factory.ControlPlane.Fleet;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.Telemetry;
using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane.Consumers;

/// <summary>
/// Records landed: the items waiting on those builds are done, and the plans they unblock are dispatched. A message
/// carries the records of a moment (<see cref="CompatibilityRecordedGroup"/>), and a batch of messages is one
/// transaction. A lone <see cref="CompatibilityRecorded"/>, as results consumers published before the groups, is taken
/// too, so that plans complete while a fleet is upgraded.
/// </summary>
public sealed class CompatibilityRecordedConsumer(BuildCompletions completions, PoolThroughput throughput, ILogger<CompatibilityRecordedConsumer> logger)
    : IConsumer<Batch<CompatibilityRecordedGroup>>, IConsumer<Batch<CompatibilityRecorded>>
{
    public Task Consume(ConsumeContext<Batch<CompatibilityRecordedGroup>> context) =>
        CompleteAsync(GroupMembers.Of(context.Message, g => g.Records, logger), context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<CompatibilityRecorded>> context) =>
        CompleteAsync(context.Message.Select(m => m.Message).ToList(), context.CancellationToken);

    private async Task CompleteAsync(IReadOnlyList<CompatibilityRecorded> records, CancellationToken ct)
    {
        await completions.CompleteAsync(records.Select(r => new BuildCompletion(r.BuildId, r.IdempotencyKey, r.Status)).ToList(), ct);
        foreach (var recorded in records)
        {
            throughput.Add(recorded.Pool);
            ControlPlaneMetrics.Completed.Add(1, ControlPlaneMetrics.Pool(recorded.Pool), ControlPlaneMetrics.Status(recorded.Status));
        }
    }
}
