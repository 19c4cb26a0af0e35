namespace Factory.Executor.Simulator;

/// <summary>
/// The simulated executors of this process: each has its own id (sim-&lt;host&gt;-&lt;pid&gt;-&lt;n&gt;) and runs one build at a
/// time. The process consumes its pool's queue with as many deliveries at once as it has executors, and each delivery
/// takes a free executor for its duration: to the control plane that is N executors of concurrency 1.
/// </summary>
public sealed class SimulatedExecutors
{
    public const string IdPrefix = "sim-";
    private readonly string[] _ids;
    private readonly Guid?[] _running;
    private readonly Stack<int> _free;
    private readonly Lock _lock = new();

    public SimulatedExecutors(int count, string host, int processId)
    {
        _ids = Enumerable.Range(0, count).Select(n => $"{IdPrefix}{host}-{processId}-{n:D4}").ToArray();
        _running = new Guid?[count];
        _free = new Stack<int>(Enumerable.Range(0, count).Reverse());
    }

    public int Count => _ids.Length;

    public static bool IsSimulated(string executorId) => executorId.StartsWith(IdPrefix, StringComparison.Ordinal);

    /// <summary>
    /// A free executor, now running this build until it is disposed; null when one of them runs this build already
    /// (a second delivery of it, dropped as a real executor host drops one).
    /// </summary>
    public SimulatedExecutor? TryTake(Guid buildId)
    {
        lock (_lock)
        {
            if (Array.IndexOf(_running, buildId) >= 0) return null;
            // Never empty: deliveries at once are limited to the number of executors.
            if (!_free.TryPop(out var n)) throw new InvalidOperationException($"all {Count} simulated executors are busy: deliveries at once must not exceed them");
            _running[n] = buildId;
            return new SimulatedExecutor(this, n, _ids[n]);
        }
    }

    /// <summary>Each executor's id and the build it runs (null when idle), for heartbeats.</summary>
    public IReadOnlyList<(string Id, Guid? Build)> Snapshot()
    {
        lock (_lock) return _ids.Select((id, n) => (id, _running[n])).ToList();
    }

    internal void Release(int n)
    {
        lock (_lock)
        {
            _running[n] = null;
            _free.Push(n);
        }
    }
}
