namespace Factory.Bench;

/// <summary>A latency distribution in milliseconds (nearest-rank percentiles).</summary>
public sealed record Latency(int Count, double P50Ms, double P99Ms, double MeanMs, double MaxMs)
{
    public static Latency Of(IReadOnlyCollection<double> ms)
    {
        var sorted = ms.Order().ToArray();
        double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Latency(sorted.Length, Rank(0.50), Rank(0.99), sorted.Average(), sorted[^1]);
    }
}
