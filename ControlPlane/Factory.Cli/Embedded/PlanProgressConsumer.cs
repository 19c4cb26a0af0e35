using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.Cli.Embedded;

/// <summary>Feeds the plan tracker: records as they land, and work items that faulted after their retries.</summary>
public sealed class PlanProgressConsumer(PlanTracker tracker) : IConsumer<CompatibilityRecorded>, IConsumer<Fault<ExecuteWorkItem>>
{
    public Task Consume(ConsumeContext<CompatibilityRecorded> context)
    {
        tracker.OnRecorded(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<ExecuteWorkItem>> context)
    {
        var message = string.Join("; ", context.Message.Exceptions.Select(e => e.Message));
        tracker.OnFaulted(context.Message.Message.BuildId, message);
        return Task.CompletedTask;
    }
}
