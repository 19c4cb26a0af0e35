namespace Factory.ControlPlane.Runs;

/// <summary>How many messages wait, ready, on each pool's work queue; null where the transport cannot say.</summary>
public interface IQueueDepths
{
    Task<IReadOnlyDictionary<string, long?>> ReadyAsync(IReadOnlyCollection<string> pools, CancellationToken ct);
}
