using Factory.Executor;
using Factory.Executor.Drain;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Factory.UnitTests;

/// <summary>
/// Executor:Drain: validated at start (naming the setting), and wired so that the bus cancels builds in progress after
/// the grace and the host waits for the hand-back before it gives up.
/// </summary>
public sealed class DrainOptionsTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-drain-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_defaults_give_a_minute_to_finish_and_the_host_waits_longer_than_the_bus()
    {
        var drain = new DrainOptions();
        Assert.Null(drain.Validate());
        Assert.Equal(TimeSpan.FromSeconds(60), drain.Grace);
        Assert.Equal(TimeSpan.FromSeconds(75), drain.BusStopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(80), drain.ShutdownTimeout);
    }

    [Theory]
    [InlineData(0, 15, "Executor:Drain:GraceSeconds is 0: expected a whole number of seconds from 1 to 86400")]
    [InlineData(-5, 15, "Executor:Drain:GraceSeconds is -5: expected")]
    [InlineData(100_000, 15, "Executor:Drain:GraceSeconds is 100000: expected")]
    [InlineData(60, 0, "Executor:Drain:HandBackSeconds is 0: expected")]
    public void A_grace_that_cannot_work_is_refused_naming_the_setting(int grace, int handBack, string expected)
    {
        var error = new DrainOptions { GraceSeconds = grace, HandBackSeconds = handBack }.Validate();
        Assert.NotNull(error);
        Assert.StartsWith(expected, error);
    }

    [Theory]
    [InlineData("0", "Executor:Drain:GraceSeconds is 0: expected a whole number of seconds")]
    [InlineData("soon", "'Executor:Drain:GraceSeconds'")]
    public async Task The_executor_refuses_to_start_with_a_bad_grace(string grace, string expected)
    {
        var refusal = await Builder(("Executor:Drain:GraceSeconds", grace)).AddExecutorServiceAsync();
        Assert.NotNull(refusal);
        Assert.Contains(expected, refusal);
    }

    [Fact]
    public async Task The_bus_cancels_builds_after_the_grace_and_the_host_outwaits_the_hand_back()
    {
        var builder = Builder(("Executor:Drain:GraceSeconds", "7"), ("Executor:Drain:HandBackSeconds", "3"));
        Assert.Null(await builder.AddExecutorServiceAsync());
        using var host = builder.Build();

        var bus = host.Services.GetRequiredService<IOptions<MassTransitHostOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), bus.ConsumerStopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), bus.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is ExecutorDrain);
    }

    private HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        var values = new Dictionary<string, string?>
        {
            ["Executor:StateDirectory"] = _state,
            ["Bus:RabbitMq:Username"] = "factory",
            ["Bus:RabbitMq:Password"] = "not-used-here",
            ["Executor:Engine"] = ExecutorEngines.BenchInstant,
        };
        foreach (var (key, value) in settings) values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }
}
