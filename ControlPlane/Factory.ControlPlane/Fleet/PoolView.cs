namespace Factory.ControlPlane.Fleet;

/// <summary>
/// One pool: ready messages on its work queue and its dead-letter queue (null where the transport cannot say), the age
/// of its oldest build waiting on the queue (since dispatch; null when none waits), builds completed per minute over
/// the last minutes, and its live executors.
/// </summary>
public sealed record PoolView(string Pool, long? QueueDepth, long? DeadLetters, double? OldestQueuedSeconds, double ThroughputPerMinute,
    int BusyExecutors, int IdleExecutors, IReadOnlyList<ExecutorView> Executors);
