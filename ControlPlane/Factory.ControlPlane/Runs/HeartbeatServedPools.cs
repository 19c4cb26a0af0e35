using Factory.Planning;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// The fleet's admission: the pools of executors heard from within ControlPlane:ExecutorTimeout; or, with
/// ControlPlane:AdmitUnservedPools, every pool the catalog knows (items wait on their queue until executors come).
/// </summary>
public sealed class HeartbeatServedPools(IPlanStateStore state, ControlPlaneOptions options, PoolCatalog pools, TimeProvider clock) : IServedPools
{
    public async Task<IReadOnlyCollection<string>> ListAsync(CancellationToken ct)
    {
        if (options.AdmitUnservedPools) return pools.Pools.Select(p => p.Name).ToList();
        var executors = await state.ListExecutorsAsync(clock.GetUtcNow() - options.ExecutorTimeout, ct);
        return executors.Select(e => e.Pool).Distinct().ToList();
    }
}
