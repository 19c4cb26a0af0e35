using System.Collections.Concurrent;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// In-process notice that plans completed or items moved, for whoever waits in this process (the embedded `run`,
/// live views). The state store stays the truth: a waiter that missed a signal finds the state on its next look.
/// </summary>
public sealed class RunSignals
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _completed = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Completed(IEnumerable<Guid> runIds)
    {
        foreach (var id in runIds) _completed.GetOrAdd(id, _ => New()).TrySetResult();
        Changed();
    }

    public void Changed() => Interlocked.Exchange(ref _changed, New()).TrySetResult();

    /// <summary>Completes when the plan is signalled complete (check the store first: it may have completed before).</summary>
    public Task WhenCompleted(Guid runId) => _completed.GetOrAdd(runId, _ => New()).Task;

    /// <summary>Completes at the next change of any plan.</summary>
    public Task NextChange() => Volatile.Read(ref _changed).Task;

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
