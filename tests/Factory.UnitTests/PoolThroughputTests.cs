using Factory.ControlPlane.Fleet;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

public sealed class PoolThroughputTests
{
    [Fact]
    public void Completions_count_per_pool_per_minute_over_the_window_and_older_ones_drop_out()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var throughput = new PoolThroughput(clock);
        for (var i = 0; i < 10; i++) throughput.Add("amd64");
        throughput.Add("arm64");
        throughput.Add(null);

        Assert.Equal(10 / PoolThroughput.Window.TotalMinutes, throughput.PerMinute("amd64"));
        Assert.Equal(1 / PoolThroughput.Window.TotalMinutes, throughput.PerMinute(PoolThroughput.UnknownPool));
        Assert.Equal(0, throughput.PerMinute("gpu"));

        clock.Advance(PoolThroughput.Window + TimeSpan.FromSeconds(1));
        throughput.Add("amd64");
        Assert.Equal(1 / PoolThroughput.Window.TotalMinutes, throughput.PerMinute("amd64"));
        Assert.Equal(0, throughput.PerMinute("arm64"));
    }
}
