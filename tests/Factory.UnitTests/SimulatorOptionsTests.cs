using Factory.Executor.Simulator;

namespace Factory.UnitTests;

/// <summary>The simulator's options: each problem names its key and what is expected; the control plane's URL is required.</summary>
public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Usable_options_have_no_problems()
    {
        Assert.Empty(new SimulatorOptions { Pool = "sim", ControlPlane = "http://127.0.0.1:5080" }.Problems());
    }

    [Fact]
    public void Each_problem_names_its_key()
    {
        var problems = new SimulatorOptions
        {
            Pool = "sim", Executors = 0, BuildMedian = TimeSpan.Zero, BuildSpread = -1, BuildMaxMedians = 0.5, ControlPlane = null,
        }.Problems().ToList();

        Assert.Collection(problems,
            p => Assert.StartsWith("Simulator:Executors is 0: expected 1 to 5000", p),
            p => Assert.StartsWith("Simulator:BuildMedian is 00:00:00: expected a positive duration", p),
            p => Assert.StartsWith("Simulator:BuildSpread is -1: expected 0 to 3", p),
            p => Assert.StartsWith("Simulator:BuildMaxMedians is 0.5: expected 1 or more", p),
            p => Assert.Contains("Simulator:ControlPlane is '': expected the control plane's http URL (--control-plane)", p));
    }
}
