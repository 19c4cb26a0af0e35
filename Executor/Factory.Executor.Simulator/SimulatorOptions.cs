namespace Factory.Executor.Simulator;

/// <summary>The Simulator section: how many simulated executors, on which simulated pool, building for how long.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";
    public const int MaxExecutors = 5_000;

    /// <summary>The simulated pool; its name starts with "sim" (see <see cref="SimulatedPool"/>).</summary>
    public string Pool { get; set; } = "";
    /// <summary>Simulated executors in this process, each with its own id and heartbeat, each one build at a time.</summary>
    public int Executors { get; set; } = 100;
    /// <summary>The median of the drawn build durations.</summary>
    public TimeSpan BuildMedian { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>σ of the duration's logarithm (lognormal): 0 makes every build last the median; 0.5 puts 90% within 0.44–2.3× of it.</summary>
    public double BuildSpread { get; set; } = 0.5;
    /// <summary>No drawn duration is longer than this many medians (the lognormal's tail is long).</summary>
    public double BuildMaxMedians { get; set; } = 20;
    /// <summary>Fixes the draws, for repeatable runs; unset draws differ per run.</summary>
    public int? Seed { get; set; }
    /// <summary>The control plane's URL: asked, before starting, whether a real executor serves the pool.</summary>
    public string? ControlPlane { get; set; }

    /// <summary>What is wrong with the options, each naming its key; empty when they can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (Executors is < 1 or > MaxExecutors)
            yield return $"Simulator:Executors is {Executors}: expected 1 to {MaxExecutors}";
        if (BuildMedian <= TimeSpan.Zero)
            yield return $"Simulator:BuildMedian is {BuildMedian}: expected a positive duration (hh:mm:ss)";
        if (BuildSpread is < 0 or > 3 || double.IsNaN(BuildSpread))
            yield return $"Simulator:BuildSpread is {BuildSpread}: expected 0 to 3 (σ of the duration's logarithm)";
        if (BuildMaxMedians < 1 || double.IsNaN(BuildMaxMedians))
            yield return $"Simulator:BuildMaxMedians is {BuildMaxMedians}: expected 1 or more";
        if (!Uri.TryCreate(ControlPlane, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return $"Simulator:ControlPlane is '{ControlPlane}': expected the control plane's http URL (--control-plane), " +
                "to check that no real executor serves the simulated pool";
    }
}
