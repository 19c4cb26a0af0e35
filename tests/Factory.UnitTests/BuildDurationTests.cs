using Factory.Executor.Simulator;

namespace Factory.UnitTests;

/// <summary>The simulator's drawn build durations: lognormal around the median, capped, repeatable with a seed.</summary>
public sealed class BuildDurationTests
{
    private static List<TimeSpan> Draw(BuildDuration durations, int n) => Enumerable.Range(0, n).Select(_ => durations.Next()).Order().ToList();

    [Fact]
    public void Half_the_draws_are_shorter_than_the_median_and_the_spread_reaches_both_sides()
    {
        var draws = Draw(new BuildDuration(TimeSpan.FromSeconds(10), 0.5, 20, seed: 7), 20_000);

        Assert.InRange(draws[draws.Count / 2].TotalSeconds, 9.7, 10.3);
        // σ = 0.5: the 5th and 95th percentiles are e^(∓0.82) ≈ 0.44 and 2.28 medians.
        Assert.InRange(draws[draws.Count * 5 / 100].TotalSeconds, 4.1, 4.7);
        Assert.InRange(draws[draws.Count * 95 / 100].TotalSeconds, 21.5, 24.0);
    }

    [Fact]
    public void No_spread_makes_every_build_last_the_median_and_no_draw_exceeds_the_cap()
    {
        Assert.All(Draw(new BuildDuration(TimeSpan.FromSeconds(3), 0, 20), 100), d => Assert.Equal(TimeSpan.FromSeconds(3), d));
        Assert.All(Draw(new BuildDuration(TimeSpan.FromSeconds(1), 3, 2, seed: 1), 5_000), d => Assert.True(d <= TimeSpan.FromSeconds(2), d.ToString()));
    }

    [Fact]
    public void The_same_seed_draws_the_same_durations()
    {
        Assert.Equal(Draw(new BuildDuration(TimeSpan.FromSeconds(5), 0.8, 20, seed: 42), 50), Draw(new BuildDuration(TimeSpan.FromSeconds(5), 0.8, 20, seed: 42), 50));
        Assert.NotEqual(Draw(new BuildDuration(TimeSpan.FromSeconds(5), 0.8, 20, seed: 42), 50), Draw(new BuildDuration(TimeSpan.FromSeconds(5), 0.8, 20, seed: 43), 50));
    }
}
