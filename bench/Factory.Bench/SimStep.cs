namespace Factory.Bench;

/// <summary>
/// One window of the simulation at a submission rate: what was submitted, its dispatch latency (client POST →
/// simulated start), items recorded per second, each process's CPU (% of one core) and memory, the queue depths
/// sampled, and, when the rate was not sustained, why.
/// </summary>
public sealed record SimStep(
    string Name, double TargetRate, int ItemsPerPlan, double Seconds, double SubmittedRate, int Items, Latency? Latency, double RecordedPerSecond,
    double ControlPlaneCpuPercent, double ControlPlaneRssMb, double ResultsConsumerCpuPercent, double SimulatorsCpuPercent, double LoadAverage,
    IReadOnlyList<string> Queues, IReadOnlyList<uint[]> Depths, int NotStarted, string? Failure)
{
    public bool Sustained => Failure is null;

    /// <summary>Each queue's depths over the window, at most 12 numbers (the largest of each stretch), and its largest.</summary>
    public string DepthsLine() => string.Join("; ", Queues.Select((q, i) =>
    {
        var series = Depths.Select(d => d[i]).ToList();
        if (series.Count == 0) return $"{q} (no samples)";
        var stretch = (int)Math.Ceiling(series.Count / 12.0);
        var compact = series.Chunk(stretch).Select(c => c.Max());
        return $"{q} max {series.Max()} [{string.Join(" ", compact)}]";
    }));
}
