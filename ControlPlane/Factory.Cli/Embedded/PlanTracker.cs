using System.Collections.Concurrent;
using Factory.Contracts.Messages;

namespace Factory.Cli.Embedded;

/// <summary>Waits for the builds a run dispatched: each ends recorded, or faulted after its retries.</summary>
public sealed class PlanTracker
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<CompatibilityRecorded>> _pending = new();
    public event Action<CompatibilityRecorded>? Recorded;

    public void Expect(Guid buildId) =>
        _pending.TryAdd(buildId, new TaskCompletionSource<CompatibilityRecorded>(TaskCreationOptions.RunContinuationsAsynchronously));

    public void OnRecorded(CompatibilityRecorded recorded)
    {
        if (_pending.TryGetValue(recorded.BuildId, out var pending) && pending.TrySetResult(recorded)) Recorded?.Invoke(recorded);
    }

    public void OnFaulted(Guid buildId, string message)
    {
        if (_pending.TryGetValue(buildId, out var pending)) pending.TrySetException(new BuildFaultedException(buildId, message));
    }

    public Task<CompatibilityRecorded[]> WaitAllAsync(CancellationToken ct) =>
        Task.WhenAll(_pending.Values.Select(p => p.Task)).WaitAsync(ct);
}

public sealed class BuildFaultedException(Guid buildId, string message) : Exception(message)
{
    public Guid BuildId { get; } = buildId;
}
