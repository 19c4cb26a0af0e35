namespace Factory.Bench;

/// <summary>
/// Plans of fresh items for the simulation, over bench_matrix in a fleet of its own: plan n takes bench-a version n / 32
/// and bench-b version n % 32, and as many bench-c versions as it has items (at most 32), so no item is ever reused.
/// </summary>
public sealed class SimPlans
{
    public const int MaxItemsPerPlan = BenchManifests.VersionsPerSlot;
    public const int MaxPlans = BenchManifests.VersionsPerSlot * BenchManifests.VersionsPerSlot;
    private int _next;

    public int Used => _next;

    public int Left => Math.Max(0, MaxPlans - _next);

    public string Next(int items)
    {
        if (items is < 1 or > MaxItemsPerPlan) throw new ArgumentOutOfRangeException(nameof(items), items, $"a plan has 1 to {MaxItemsPerPlan} items");
        var n = Interlocked.Increment(ref _next) - 1;
        if (n >= MaxPlans) throw new InvalidOperationException($"the simulation used all {MaxPlans} plans of fresh items bench_matrix has");
        return BenchManifests.MatrixPlan($"sim_{n}", [n / BenchManifests.VersionsPerSlot], [n % BenchManifests.VersionsPerSlot], Enumerable.Range(0, items));
    }
}
