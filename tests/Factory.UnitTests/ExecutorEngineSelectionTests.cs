using Factory.Executor;
using Factory.Executor.Bench;
using Factory.Executor.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.UnitTests;

/// <summary>Executor:Engine: the Docker engine unless the bench-only instant engine is asked for by name; anything else refuses to start.</summary>
public sealed class ExecutorEngineSelectionTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-engine-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { }
    }

    private HostApplicationBuilder Builder(string? engine)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Executor:StateDirectory"] = _state,
            ["Bus:RabbitMq:Username"] = "factory",
            ["Bus:RabbitMq:Password"] = "not-used-here",
            ["Executor:Engine"] = engine,
        });
        return builder;
    }

    [Fact]
    public void The_docker_engine_is_the_default()
    {
        Assert.Equal(ExecutorEngines.Docker, new ExecutorOptions().Engine);
    }

    [Fact]
    public async Task An_unknown_engine_refuses_to_start_naming_the_setting_and_the_choices()
    {
        var refusal = await Builder("bench").AddExecutorServiceAsync();
        Assert.Equal("Executor:Engine is 'bench': expected one of docker, bench-instant", refusal);
    }

    [Fact]
    public async Task The_bench_only_instant_engine_is_used_when_named_and_builds_nothing()
    {
        var builder = Builder(ExecutorEngines.BenchInstant);
        Assert.Null(await builder.AddExecutorServiceAsync());
        using var host = builder.Build();

        var engine = host.Services.GetRequiredService<IContainerEngine>();
        Assert.IsType<BenchInstantEngine>(engine);
        var build = await engine.BuildAsync(new ImageBuildRequest(BuildContext.Of("FROM scratch\n"), "r/x:1", "linux/amd64", []), CancellationToken.None);
        Assert.True(build.Succeeded);
        Assert.Contains("nothing was built", build.Log);
    }
}
