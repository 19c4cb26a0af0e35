using Factory.Messaging;

namespace Factory.ControlPlane.Runs;

public static class PoolQueueDepths
{
    /// <summary>Ready messages on each pool's work queue, keyed by pool; null where unknown.</summary>
    public static async Task<IReadOnlyDictionary<string, long?>> ReadyAsync(this IQueueDepths depths, IReadOnlyCollection<string> pools, CancellationToken ct)
    {
        var byQueue = await depths.ReadyInQueuesAsync(pools.Select(WorkQueues.For).ToList(), ct);
        return pools.Distinct().ToDictionary(p => p, p => byQueue.GetValueOrDefault(WorkQueues.For(p)));
    }
}
