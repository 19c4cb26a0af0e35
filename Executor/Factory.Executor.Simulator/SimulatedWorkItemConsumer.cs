using Factory.Contracts.Messages;
using Factory.Executor.Drain;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.Executor.Simulator;

/// <summary>
/// SIMULATOR — a real work item taken by a simulated executor: announced started under that executor's id, then, after
/// a drawn build duration, run through the real pipeline on the bench-only instant engine (evidence, SBOM, provenance
/// and signatures are real, nothing is built), and its real result published under that executor's id for the results
/// consumer to record. Acknowledged after the result is published, and given up on as a real executor gives up.
/// </summary>
public sealed class SimulatedWorkItemConsumer(
    SimulatedExecutors executors, BuildDuration durations, IWorkItemPipeline pipeline, Stages.RecordSignatureStage signature, DeadLetterNotice deadLetters, ExecutorOptions options, TimeProvider clock,
    ILogger<SimulatedWorkItemConsumer> logger) : IConsumer<ExecuteWorkItem>
{
    public async Task Consume(ConsumeContext<ExecuteWorkItem> context)
    {
        var command = context.Message;
        try
        {
            UnsupportedWorkItemException.ThrowIfUnreadable(command, "this simulator");
            using var executor = executors.TryTake(command.BuildId);
            if (executor is null)
            {
                logger.LogWarning("build {BuildId} attempt {Attempt}: dropped, a simulated executor of this process runs it already", command.BuildId, command.Attempt);
                return;
            }
            var startedAt = clock.GetUtcNow();
            // Each simulated executor announces its own start, as a real one that starts one build at a time does.
            await context.Publish(new WorkItemStartedGroup
            {
                Starts =
                [
                    new WorkItemStarted
                    {
                        BuildId = command.BuildId, PlanId = command.Item.PlanId, IdempotencyKey = command.Item.IdempotencyKey,
                        Pool = command.Item.Pool, ExecutorId = executor.Id, StartedAt = startedAt, Attempt = command.Attempt,
                    },
                ],
            });
            // An item past its deadline is not built, by a real executor either: the pipeline records it expired at once.
            if (command.Item.Deadline is not { } deadline || deadline >= startedAt)
                await Task.Delay(durations.Next(), clock, context.CancellationToken);
            var result = await pipeline.RunAsync(command, Delivery.New(command.BuildId, command.Attempt), context.CancellationToken);
            // The record names the simulated executor, so it is signed again over that name.
            result = await signature.RunAsync(result with { Executor = result.Executor with { Host = executor.Id } }, context.CancellationToken);
            await context.Publish(result);
            logger.LogInformation("build {BuildId} attempt {Attempt}: {Status} on {Executor}, result published", command.BuildId, command.Attempt, result.Status, executor.Id);
        }
        catch (Exception ex) when (DeliveryEndPolicy.OnFailure(ex, context.CancellationToken.IsCancellationRequested, context.GetRetryAttempt(), options.Retry.Limit) == DeliveryEnd.DeadLetter)
        {
            await deadLetters.PublishAsync(context, ex);
            throw;
        }
    }
}
