using Factory.Executor;
using Factory.Executor.Prewarm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.UnitTests;

/// <summary>Executor:Prewarm: when set, the prewarm is the first hosted service to start, so no heartbeat or work comes before it.</summary>
public sealed class PrewarmAtStartTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-prewarm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }

    private async Task<IReadOnlyList<Type>> HostedServicesAsync(string? prewarm)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Executor:StateDirectory"] = _state,
            ["Bus:RabbitMq:Username"] = "factory",
            ["Bus:RabbitMq:Password"] = "not-used-here",
            ["Executor:Engine"] = ExecutorEngines.BenchInstant,
            ["Executor:Prewarm"] = prewarm,
        });
        Assert.Null(await builder.AddExecutorServiceAsync());
        return [.. builder.Services.Where(s => s.ServiceType == typeof(IHostedService)).Select(s => s.ImplementationType ?? typeof(object))];
    }

    [Fact]
    public async Task Prewarm_starts_before_the_heartbeats_and_the_bus()
    {
        var services = await HostedServicesAsync("true");

        Assert.Equal(typeof(PrewarmAtStart), services[0]);
        Assert.Contains(typeof(ExecutorHeartbeatService), services.Skip(1));
        Assert.True(services.Count > 2, "the bus's hosted service comes after the prewarm");
    }

    [Fact]
    public async Task Without_the_setting_nothing_is_prewarmed()
    {
        Assert.DoesNotContain(typeof(PrewarmAtStart), await HostedServicesAsync(null));
    }
}
