using Factory.Executor.Simulator;

namespace Factory.UnitTests;

/// <summary>What keeps simulated executors from being taken for real capacity: a sim… pool, never shared with a real executor.</summary>
public sealed class SimulatedPoolTests
{
    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    [InlineData("gpu")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Sim")]
    [InlineData("sim pool")]
    public void A_pool_not_named_sim_is_refused(string? pool)
    {
        var refusal = SimulatedPool.Refusal(pool, []);

        Assert.NotNull(refusal);
        Assert.Contains($"Simulator:Pool is '{pool}'", refusal);
        Assert.Contains("starts with 'sim'", refusal);
    }

    [Fact]
    public void A_sim_pool_that_a_real_executor_serves_is_refused_naming_the_executor()
    {
        var refusal = SimulatedPool.Refusal("sim", [new ServingExecutor("sim-h-1-0000", "sim", "simulated-h"), new ServingExecutor("h-4242", "sim", "h")]);

        Assert.Equal("pool sim is served by executor h-4242 on h, which is not simulated: simulated executors never share a pool with real ones", refusal);
    }

    [Fact]
    public void A_sim_pool_served_only_by_simulated_executors_is_accepted_whatever_real_executors_serve_elsewhere()
    {
        Assert.Null(SimulatedPool.Refusal("sim", []));
        Assert.Null(SimulatedPool.Refusal("sim-b", [new ServingExecutor("sim-h-1-0007", "sim-b", "simulated-h"), new ServingExecutor("h-1", "amd64", "h")]));
    }
}
