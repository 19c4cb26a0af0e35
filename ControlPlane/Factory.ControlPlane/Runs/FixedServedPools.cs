namespace Factory.ControlPlane.Runs;

/// <summary>The embedded default's admission: the pools its in-process executor was started for.</summary>
public sealed class FixedServedPools(IReadOnlyCollection<string> pools) : IServedPools
{
    public Task<IReadOnlyCollection<string>> ListAsync(CancellationToken ct) => Task.FromResult(pools);
}
