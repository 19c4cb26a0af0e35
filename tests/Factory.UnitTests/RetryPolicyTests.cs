using Factory.ControlPlane;
using Factory.Messaging;
using Factory.ResultsConsumer;
using Factory.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.UnitTests;

/// <summary>RetryPolicy: the one retry configuration of every endpoint retries what FailureClassifier calls retryable, and nothing else.</summary>
public sealed class RetryPolicyTests
{
    private static readonly RetryOptions Fast = new()
    {
        Limit = 3, MinInterval = TimeSpan.FromMilliseconds(1), MaxInterval = TimeSpan.FromMilliseconds(5), IntervalDelta = TimeSpan.FromMilliseconds(1),
    };

    [Theory]
    [InlineData("transient", 4)]
    [InlineData("denied", 1)]
    [InlineData("bug", 1)]
    public async Task An_endpoint_retries_a_transient_infrastructure_failure_up_to_its_limit_and_nothing_else(string failure, int expectedAttempts)
    {
        var attempts = new RetryProbeAttempts();
        await using var provider = new ServiceCollection()
            .AddSingleton(attempts)
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<RetryProbeConsumer>();
                x.AddConfigureEndpointsCallback((_, cfg) => cfg.UseMessageRetry(r => RetryPolicy.Configure(r, Fast)));
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new RetryProbe { Failure = failure });

        Assert.True(await harness.Published.Any<Fault<RetryProbe>>(), "the probe was never given up on");
        Assert.Equal(expectedAttempts, attempts.Count);
    }

    [Fact]
    public void Each_host_keeps_its_own_retry_defaults_and_binds_what_is_configured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ControlPlane:Retry:Limit"] = "3",
            ["ResultsConsumer:Retry:MaxInterval"] = "00:01:00",
        }).Build();

        var controlPlane = configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>()!.Retry;
        var results = configuration.GetSection(ResultsConsumerOptions.Section).Get<ResultsConsumerOptions>()!.Retry;
        var executor = new Factory.Executor.ExecutorOptions().Retry;

        Assert.Equal((3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20)), (controlPlane.Limit, controlPlane.MinInterval, controlPlane.MaxInterval));
        Assert.Equal((10, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1)), (results.Limit, results.MinInterval, results.MaxInterval));
        Assert.Equal((5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), (executor.Limit, executor.MinInterval, executor.MaxInterval));
    }
}
