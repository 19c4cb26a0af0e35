using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>Records landed: the items waiting on those builds are done, and the plans they unblock are dispatched.</summary>
public sealed class CompatibilityRecordedConsumer(BuildCompletions completions) : IConsumer<Batch<CompatibilityRecorded>>
{
    public Task Consume(ConsumeContext<Batch<CompatibilityRecorded>> context) =>
        completions.CompleteAsync(context.Message.Select(m => new BuildCompletion(m.Message.BuildId, m.Message.IdempotencyKey, m.Message.Status)).ToList(),
            context.CancellationToken);
}
