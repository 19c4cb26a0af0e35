using System.Collections.Concurrent;

namespace Factory.ControlPlane.Fleet;

/// <summary>
/// Builds completed per pool within the last <see cref="Window"/>, as this control plane saw their records land (a
/// restart starts counting again). Thread-safe; memory grows with the rate, not with time.
/// </summary>
public sealed class PoolThroughput(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    public const string UnknownPool = "unknown";

    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _completions = new();

    public void Add(string? pool)
    {
        var queue = _completions.GetOrAdd(pool ?? UnknownPool, _ => new ConcurrentQueue<DateTimeOffset>());
        queue.Enqueue(clock.GetUtcNow());
        Prune(queue);
    }

    /// <summary>Completions per minute, averaged over the window.</summary>
    public double PerMinute(string pool)
    {
        if (!_completions.TryGetValue(pool, out var queue)) return 0;
        Prune(queue);
        return queue.Count / Window.TotalMinutes;
    }

    private void Prune(ConcurrentQueue<DateTimeOffset> queue)
    {
        var since = clock.GetUtcNow() - Window;
        while (queue.TryPeek(out var at) && at < since) queue.TryDequeue(out _);
    }
}
