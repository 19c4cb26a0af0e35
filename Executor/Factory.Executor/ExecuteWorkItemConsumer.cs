using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.Executor;

/// <summary>
/// Runs one work item through the pipeline and publishes its result; the message is acknowledged only after
/// the publish is confirmed. A delivery of a build that is already running on this host (this process or another
/// sharing the state directory) is noted and dropped: acknowledged, with nothing published. When the item is given
/// up on, the dead-letter notice goes out first.
/// </summary>
public sealed class ExecuteWorkItemConsumer(
    IWorkItemPipeline pipeline, DeadLetterNotice deadLetters, ExecutorLoad load, ExecutorOptions options, TimeProvider clock,
    ILogger<ExecuteWorkItemConsumer> logger) : IConsumer<ExecuteWorkItem>
{
    public async Task Consume(ConsumeContext<ExecuteWorkItem> context)
    {
        var command = context.Message;
        try
        {
            UnsupportedWorkItemException.ThrowIfUnreadable(command, "this executor");
            using var running = load.TryEnter(command.BuildId, command.Item.Pool);
            using var hostLock = running is null ? null : HostBuildLock.TryAcquire(options.StateDirectory, command.BuildId);
            if (hostLock is null)
            {
                logger.LogWarning("build {BuildId} attempt {Attempt}: dropped, another delivery of this build is running on this host ({Where})",
                    command.BuildId, command.Attempt, running is null ? "this executor" : "another executor");
                return;
            }
            var delivery = Delivery.New(command.BuildId, command.Attempt);
            logger.LogInformation("build {BuildId} attempt {Attempt}: running as {Delivery}", command.BuildId, command.Attempt, delivery.Id);
            await context.Publish(new WorkItemStarted
            {
                BuildId = command.BuildId, PlanId = command.Item.PlanId, IdempotencyKey = command.Item.IdempotencyKey,
                Pool = command.Item.Pool, ExecutorId = options.ExecutorId, StartedAt = clock.GetUtcNow(), Attempt = command.Attempt,
            });
            var result = await pipeline.RunAsync(command, delivery, context.CancellationToken);
            await context.Publish(result);
            logger.LogInformation("build {BuildId} attempt {Attempt}: {Status}, result published", command.BuildId, command.Attempt, result.Status);
        }
        catch (Exception ex) when (deadLetters.IsFinal(ex, context.GetRetryAttempt()))
        {
            await deadLetters.PublishAsync(context, ex);
            throw;
        }
    }
}
