using Factory.ControlPlane.Runs;

namespace Factory.UnitTests;

/// <summary>PoolQueueDepths.ReadyAsync: a pool's depth is its work queue's, keyed by the pool, once per pool.</summary>
public sealed class PoolQueueDepthsTests
{
    [Fact]
    public async Task Depths_by_pool_are_keyed_by_pool_once_each_and_unknown_where_the_transport_cannot_say()
    {
        var ready = await new UnknownQueueDepths().ReadyAsync(["amd64", "arm64", "amd64"], CancellationToken.None);

        Assert.Equal(["amd64", "arm64"], ready.Keys.Order(StringComparer.Ordinal));
        Assert.All(ready.Values, depth => Assert.Null(depth));
    }
}
