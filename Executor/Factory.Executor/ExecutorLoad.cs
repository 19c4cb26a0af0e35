using System.Collections.Concurrent;

namespace Factory.Executor;

/// <summary>
/// The builds this executor process runs right now, per pool: for heartbeats (busy count, the builds whose leases they
/// renew) and so that a second delivery of a build already running here is recognised.
/// </summary>
public sealed class ExecutorLoad
{
    private readonly ConcurrentDictionary<Guid, string> _running = new();

    public int Busy => _running.Count;

    public IReadOnlyList<Guid> RunningBuilds(string pool) => _running.Where(r => r.Value == pool).Select(r => r.Key).Order().ToList();

    /// <summary>Counts the build as running until disposed; null when this process runs it already.</summary>
    public IDisposable? TryEnter(Guid buildId, string pool) =>
        _running.TryAdd(buildId, pool) ? new Leave(this, buildId) : null;

    private sealed class Leave(ExecutorLoad load, Guid buildId) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) load._running.TryRemove(buildId, out _);
        }
    }
}
