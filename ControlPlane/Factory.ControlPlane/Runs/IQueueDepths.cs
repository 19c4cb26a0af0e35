namespace Factory.ControlPlane.Runs;

/// <summary>How many messages wait, ready, on queues; null where the transport cannot say.</summary>
public interface IQueueDepths
{
    /// <summary>Ready messages on the named queues (work queues, dead-letter queues), keyed by queue name; null where unknown.</summary>
    Task<IReadOnlyDictionary<string, long?>> ReadyInQueuesAsync(IReadOnlyCollection<string> queues, CancellationToken ct);
}
