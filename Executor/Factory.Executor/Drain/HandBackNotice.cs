using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Factory.Executor.Drain;

/// <summary>
/// Tells the control plane that a build went back to its queue, so that it waits there as queued instead of being sent a
/// second time when this executor's lease lapses (while every other executor of the pool is busy, say). Published
/// through the bus, not the delivery's context: that context is already cancelled. Best effort: if the notice is lost,
/// the lease lapses and the build is sent again with the same build id, which still makes one record.
/// </summary>
public sealed class HandBackNotice(IBus bus, ExecutorOptions options, TimeProvider clock, ILogger<HandBackNotice> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task PublishAsync(ExecuteWorkItem command)
    {
        if (command.Item is null) return;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await bus.Publish(new WorkItemHandedBack
            {
                BuildId = command.BuildId, PlanId = command.Item.PlanId, IdempotencyKey = command.Item.IdempotencyKey, Pool = command.Item.Pool,
                ExecutorId = options.ExecutorId, Attempt = command.Attempt, HandedBackAt = clock.GetUtcNow(),
            }, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || FailureClassifier.IsRetryable(ex))
        {
            logger.LogWarning("build {BuildId}: the hand-back notice was not sent ({Message}); its lease lapses instead", command.BuildId, ex.Message);
        }
    }
}
