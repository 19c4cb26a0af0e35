using Factory.Cli.Output;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.Cli.Embedded;

/// <summary>Progress lines for `run` as records land.</summary>
public sealed class PlanProgressConsumer(ProgressWriter progress) : IConsumer<CompatibilityRecorded>
{
    public Task Consume(ConsumeContext<CompatibilityRecorded> context)
    {
        progress.OnRecorded(context.Message);
        return Task.CompletedTask;
    }
}
