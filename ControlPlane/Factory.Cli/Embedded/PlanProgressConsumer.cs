using Factory.Cli.Output;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.Cli.Embedded;

/// <summary>Progress lines for `run` as records land.</summary>
public sealed class PlanProgressConsumer(ProgressWriter progress) : IConsumer<CompatibilityRecordedGroup>
{
    public Task Consume(ConsumeContext<CompatibilityRecordedGroup> context)
    {
        foreach (var recorded in context.Message.Records) progress.OnRecorded(recorded);
        return Task.CompletedTask;
    }
}
