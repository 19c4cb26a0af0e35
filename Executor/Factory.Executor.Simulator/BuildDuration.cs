namespace Factory.Executor.Simulator;

/// <summary>
/// Draws how long a simulated build lasts: lognormal around a median (builds are mostly near it, with a long tail of
/// slow ones), capped at a number of medians. Safe to draw from many deliveries at once.
/// </summary>
public sealed class BuildDuration(TimeSpan median, double spread, double maxMedians, int? seed = null)
{
    private readonly Random _random = seed is { } s ? new Random(s) : new Random();
    private readonly Lock _lock = new();

    public BuildDuration(SimulatorOptions options) : this(options.BuildMedian, options.BuildSpread, options.BuildMaxMedians, options.Seed) { }

    public TimeSpan Next()
    {
        double u1, u2;
        lock (_lock) (u1, u2) = (1.0 - _random.NextDouble(), _random.NextDouble());
        // Box–Muller: a standard normal draw from two uniform ones.
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Min(Math.Exp(spread * normal), maxMedians);
    }
}
