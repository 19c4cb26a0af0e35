using Factory.Executor.Engine;
using Factory.Executor.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Executor.Bench;

public static class BenchInstantRegistration
{
    /// <summary>
    /// BENCH ONLY — the instant engine and its registry in place of Docker's, for Executor:Engine=bench-instant and the
    /// simulator. Call before AddExecutorServices, which only adds its defaults where none is registered.
    /// </summary>
    public static IServiceCollection AddBenchInstantEngine(this IServiceCollection services)
    {
        services.AddSingleton<IContainerEngine, BenchInstantEngine>();
        services.AddSingleton<IRegistryTagger, BenchInstantRegistry>();
        return services;
    }
}
