using Factory.ControlPlane.Fleet;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.Telemetry;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>Records landed: the items waiting on those builds are done, and the plans they unblock are dispatched.</summary>
public sealed class CompatibilityRecordedConsumer(BuildCompletions completions, PoolThroughput throughput) : IConsumer<Batch<CompatibilityRecorded>>
{
    public async Task Consume(ConsumeContext<Batch<CompatibilityRecorded>> context)
    {
        await completions.CompleteAsync(context.Message.Select(m => new BuildCompletion(m.Message.BuildId, m.Message.IdempotencyKey, m.Message.Status)).ToList(),
            context.CancellationToken);
        foreach (var recorded in context.Message.Select(m => m.Message))
        {
            throughput.Add(recorded.Pool);
            ControlPlaneMetrics.Completed.Add(1, ControlPlaneMetrics.Pool(recorded.Pool), ControlPlaneMetrics.Status(recorded.Status));
        }
    }
}
