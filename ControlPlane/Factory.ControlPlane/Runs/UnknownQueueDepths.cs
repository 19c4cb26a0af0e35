namespace Factory.ControlPlane.Runs;

/// <summary>The in-memory bus: depths are not known (and it loses no message, so a queued build is never sent again).</summary>
public sealed class UnknownQueueDepths : IQueueDepths
{
    public Task<IReadOnlyDictionary<string, long?>> ReadyInQueuesAsync(IReadOnlyCollection<string> queues, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, long?>>(queues.Distinct().ToDictionary(n => n, _ => (long?)null));
}
