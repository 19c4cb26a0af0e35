using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.Executor;

public sealed class UnsupportedWorkItemException(string message) : Exception(message);

/// <summary>Runs one work item through the pipeline and publishes its result; acknowledged only after the publish.</summary>
public sealed class ExecuteWorkItemConsumer(WorkItemPipeline pipeline) : IConsumer<ExecuteWorkItem>
{
    public async Task Consume(ConsumeContext<ExecuteWorkItem> context)
    {
        var command = context.Message;
        if (command.SchemaVersion != ExecuteWorkItem.CurrentSchemaVersion)
            throw new UnsupportedWorkItemException($"work item schema version {command.SchemaVersion} is not supported (this executor reads {ExecuteWorkItem.CurrentSchemaVersion})");
        var result = await pipeline.RunAsync(command, command.Item.Pool, context.CancellationToken);
        await context.Publish(result);
    }
}
