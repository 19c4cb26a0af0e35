using System.Text.RegularExpressions;

namespace Factory.Executor.Simulator;

/// <summary>
/// What keeps simulated executors from being taken for real capacity: a simulated pool is named sim…, so no plan for a
/// real pool (amd64, arm64, gpu) ever reaches one, and it is refused when a real executor already serves it, so real
/// and pretended builds never share a queue. Simulated executors are told apart by their ids (sim-…).
/// </summary>
public static partial class SimulatedPool
{
    public const string NamePrefix = "sim";

    /// <summary>Why simulated executors must not serve this pool (given the executors the control plane hears from), or null.</summary>
    public static string? Refusal(string? pool, IEnumerable<ServingExecutor> executors)
    {
        if (string.IsNullOrEmpty(pool) || !pool.StartsWith(NamePrefix, StringComparison.Ordinal) || !PoolName().IsMatch(pool))
            return $"Simulator:Pool is '{pool}': expected a pool name that starts with '{NamePrefix}' (lowercase letters, digits, '-'; e.g. sim), " +
                "so that simulated executors are never taken for a real pool's capacity";
        if (executors.FirstOrDefault(e => e.Pool == pool && !SimulatedExecutors.IsSimulated(e.ExecutorId)) is { } real)
            return $"pool {pool} is served by executor {real.ExecutorId} on {real.Host}, which is not simulated: " +
                "simulated executors never share a pool with real ones";
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex PoolName();
}
