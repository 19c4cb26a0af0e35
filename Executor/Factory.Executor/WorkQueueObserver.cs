using MassTransit;

namespace Factory.Executor;

/// <summary>
/// Feeds <see cref="WorkQueueActivity"/> from the bus: a receive observer sees each delivery once, around its retries,
/// after it was acknowledged or moved to its error queue. A delivery past Executor:ExitAfterItems is refused before it
/// is consumed: it faults, and the transport hands it back to its queue (a negative acknowledgement with requeue) for
/// another executor.
/// </summary>
public sealed class WorkQueueObserver(WorkQueueActivity activity) : IReceiveObserver
{
    /// <summary>
    /// How long a refused delivery is held before it is handed back: the executor is stopping by then, so its consumer is
    /// cancelled and the broker gives the item to another executor rather than straight back to this one.
    /// </summary>
    public static readonly TimeSpan RefusalHold = TimeSpan.FromSeconds(2);

    public async Task PreReceive(ReceiveContext context)
    {
        if (!activity.IsWorkQueue(context.InputAddress) || activity.TryStart()) return;
        await Task.Delay(RefusalHold);
        throw new WorkItemRefusedException($"{context.InputAddress}: this executor has taken all the work items it may (Executor:ExitAfterItems); handed back to the queue");
    }

    public Task PostReceive(ReceiveContext context)
    {
        if (activity.IsWorkQueue(context.InputAddress)) activity.Finish();
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        if (exception is not WorkItemRefusedException && activity.IsWorkQueue(context.InputAddress)) activity.Finish();
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;
}
