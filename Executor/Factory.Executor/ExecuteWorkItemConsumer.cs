using Factory.Contracts.Messages;
using Factory.Executor.Drain;
using Factory.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.Executor;

/// <summary>
/// Runs one work item through the pipeline and publishes its result; the message is acknowledged only after
/// the publish is confirmed. Its start is announced first, with the other starts of this executor at that moment
/// (<see cref="GroupPublisher{TItem, TGroup}"/>), and the build waits until that announcement is published. A delivery of a build that is already running on this host (this process or another
/// sharing the state directory) is noted and dropped: acknowledged, with nothing published. When the item is given
/// up on, the dead-letter notice goes out first. When the bus cancels the delivery (the executor drains and the grace
/// ran out) the build is handed back: nothing is published, and the delivery returns to its queue.
/// </summary>
public sealed class ExecuteWorkItemConsumer(
    IWorkItemPipeline pipeline, GroupPublisher<WorkItemStarted, WorkItemStartedGroup> starts, DeadLetterNotice deadLetters, ExecutorLoad load, DrainSignal drain, HandBackNotice handBack,
    ExecutorOptions options, TimeProvider clock, ILogger<ExecuteWorkItemConsumer> logger) : IConsumer<ExecuteWorkItem>
{
    public async Task Consume(ConsumeContext<ExecuteWorkItem> context)
    {
        var command = context.Message;
        try
        {
            UnsupportedWorkItemException.ThrowIfUnreadable(command, "this executor");
            if (context.GetRetryAttempt() > 0 || context.ReceiveContext.Redelivered) ExecutorMetrics.Retries.Add(1, ExecutorMetrics.Pool(command.Item.Pool));
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
            await starts.PublishAsync(new WorkItemStarted
            {
                BuildId = command.BuildId, PlanId = command.Item.PlanId, IdempotencyKey = command.Item.IdempotencyKey,
                Pool = command.Item.Pool, ExecutorId = options.ExecutorId, StartedAt = clock.GetUtcNow(), Attempt = command.Attempt,
            }, context.CancellationToken);
            var result = await pipeline.RunAsync(command, delivery, context.CancellationToken);
            // A result made while the delivery was being cancelled may come from a killed process: never publish it.
            context.CancellationToken.ThrowIfCancellationRequested();
            await context.Publish(result);
            ExecutorMetrics.Results.Add(1, ExecutorMetrics.Pool(command.Item.Pool), new("factory.status", result.Status));
            logger.LogInformation("build {BuildId} attempt {Attempt}: {Status}, result published", command.BuildId, command.Attempt, result.Status);
            if (drain.IsDraining)
            {
                drain.BuildFinished();
                logger.LogInformation("draining: finished build {BuildId} attempt {Attempt} ({Status})", command.BuildId, command.Attempt, result.Status);
            }
        }
        catch (Exception ex)
        {
            switch (DeliveryEndPolicy.OnFailure(ex, context.CancellationToken.IsCancellationRequested, context.GetRetryAttempt(), options.Retry.Limit))
            {
                case DeliveryEnd.HandBack:
                    drain.BuildHandedBack();
                    await handBack.PublishAsync(command);
                    // Not draining: the broker connection went away, which returns the delivery just the same.
                    logger.LogWarning("{Why}: handed back build {BuildId} attempt {Attempt}: its delivery returns to {Queue} for another executor ({Reason})",
                        drain.IsDraining ? "draining" : "delivery cancelled", command.BuildId, command.Attempt, context.ReceiveContext.InputAddress.Segments[^1],
                        ex.GetType().Name);
                    // MassTransit neither retries nor faults a cancellation of the delivery's own token: it is requeued.
                    throw new OperationCanceledException($"build {command.BuildId} handed back", ex, context.CancellationToken);
                case DeliveryEnd.DeadLetter:
                    await deadLetters.PublishAsync(context, ex);
                    break;
            }
            throw;
        }
    }
}
