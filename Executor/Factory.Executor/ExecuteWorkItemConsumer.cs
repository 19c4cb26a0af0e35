using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.Executor;

/// <summary>
/// Runs one work item through the pipeline and publishes its result; the message is acknowledged only after
/// the publish is confirmed. When the item is given up on, the dead-letter notice goes out first.
/// </summary>
public sealed class ExecuteWorkItemConsumer(WorkItemPipeline pipeline, DeadLetterNotice deadLetters, ExecutorLoad load, ExecutorOptions options, TimeProvider clock)
    : IConsumer<ExecuteWorkItem>
{
    public async Task Consume(ConsumeContext<ExecuteWorkItem> context)
    {
        var command = context.Message;
        using var busy = load.Enter();
        try
        {
            if (command.SchemaVersion != ExecuteWorkItem.CurrentSchemaVersion || command.Item is null)
                throw new UnsupportedWorkItemException($"work item schema version {command.SchemaVersion} is not supported: this executor reads version {ExecuteWorkItem.CurrentSchemaVersion} with an item");
            await context.Publish(new WorkItemStarted
            {
                BuildId = command.BuildId, PlanId = command.Item.PlanId, IdempotencyKey = command.Item.IdempotencyKey,
                Pool = command.Item.Pool, ExecutorId = options.ExecutorId, StartedAt = clock.GetUtcNow(),
            });
            var result = await pipeline.RunAsync(command, command.Item.Pool, context.CancellationToken);
            await context.Publish(result);
        }
        catch (Exception ex) when (deadLetters.IsFinal(ex, context.GetRetryAttempt()))
        {
            await deadLetters.PublishAsync(context, ex);
            throw;
        }
    }
}
