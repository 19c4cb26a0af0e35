using Factory.Messaging;

namespace Factory.Executor;

/// <summary>
/// The deliveries on this executor's work queues: how many it handled, how many run, and since when nothing did, for
/// <see cref="ExecutorExitPolicy"/>. <see cref="WorkQueueObserver"/> feeds it from the bus.
/// </summary>
public sealed class WorkQueueActivity
{
    private readonly object _gate = new();
    private readonly HashSet<string> _queues;
    private readonly ExecutorExitPolicy _policy;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _changed = new(0);
    private int _handled;
    private int _running;
    private DateTimeOffset _lastActivity;

    public WorkQueueActivity(ExecutorOptions options, ExecutorExitPolicy policy, TimeProvider clock)
    {
        _queues = options.Pools.Select(WorkQueues.For).ToHashSet(StringComparer.Ordinal);
        _policy = policy;
        _clock = clock;
        _lastActivity = clock.GetUtcNow();
    }

    /// <summary>Whether a delivery arrived on one of this executor's work queues (not on the bus's own endpoint).</summary>
    public bool IsWorkQueue(Uri inputAddress) => _queues.Contains(inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "");

    /// <summary>A delivery starts; false when the policy refuses it (it must go back to its queue, uncounted).</summary>
    public bool TryStart()
    {
        lock (_gate)
        {
            if (_policy.Refuses(_handled, _running)) return false;
            _running++;
            _lastActivity = _clock.GetUtcNow();
            return true;
        }
    }

    /// <summary>A started delivery is done: acknowledged, moved to its error queue, or handed back by a transport fault.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _running--;
            _handled++;
            _lastActivity = _clock.GetUtcNow();
        }
        _changed.Release();
    }

    /// <summary>Why the executor should stop now (see <see cref="ExecutorExitPolicy.ExitReason"/>), or null.</summary>
    public string? ExitReason()
    {
        lock (_gate) return _policy.ExitReason(_handled, _running, _clock.GetUtcNow() - _lastActivity);
    }

    /// <summary>Waits until a delivery finishes or the timeout passes.</summary>
    public async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await _changed.WaitAsync(timeout, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
