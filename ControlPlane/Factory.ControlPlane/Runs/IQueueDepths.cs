namespace Factory.ControlPlane.Runs;

/// <summary>How many messages wait, ready, on each pool's work queue; null where the transport cannot say.</summary>
public interface IQueueDepths
{
    Task<IReadOnlyDictionary<string, long?>> ReadyAsync(IReadOnlyCollection<string> pools, CancellationToken ct);

    /// <summary>Ready messages on the named queues (work queues, dead-letter queues), keyed by queue name; null where unknown.</summary>
    Task<IReadOnlyDictionary<string, long?>> ReadyInQueuesAsync(IReadOnlyCollection<string> queues, CancellationToken ct);
}
