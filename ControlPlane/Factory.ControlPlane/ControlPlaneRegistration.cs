using Factory.Contracts.Health;
using Factory.ControlPlane.Consumers;
using Factory.ControlPlane.Health;
using Factory.Planning;
using Factory.Planning.Registry;
using Factory.ControlPlane.Runs;
using Factory.Manifests;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.ControlPlane;

/// <summary>
/// The control plane's core, the same in the fleet and in the embedded `run`: intake, dispatch, leases,
/// completions. The composition adds a plan-state store, a record store, served pools, queue depths, a topology
/// and the bus; <see cref="AddControlPlaneConsumers"/> puts its consumers on that bus.
/// </summary>
public static class ControlPlaneRegistration
{
    public static IServiceCollection AddControlPlaneCore(this IServiceCollection services, ControlPlaneOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Dispatch);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(PoolCatalog.From(options.Pools));
        var registry = new RegistryOptions { Address = options.Registry };
        services.AddSingleton(registry);
        // One cache of base digests for the process (a TTL, refreshed on demand), in front of the registry.
        services.AddHttpClient<RegistryClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => new CachingBaseImageResolver(sp.GetRequiredService<RegistryClient>(), registry, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IBaseImageResolver>(sp => sp.GetRequiredService<CachingBaseImageResolver>());
        services.TryAddSingleton(_ => new ManifestStoreCache(options.ManifestStore));
        services.TryAddSingleton<IManifestSource, CachedManifests>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessProbe, ManifestStoreProbe>());
        services.AddTransient<PlanPreparer>();
        services.AddSingleton<RunSignals>();
        services.AddSingleton<Fleet.PoolThroughput>();
        services.AddSingleton<Fleet.ScrapeTargets>();
        services.AddSingleton<ControlPlaneReadiness>();
        services.AddSingleton<IWorkSender, Bus.MassTransitWorkSender>();
        services.AddSingleton<WorkDispatcher>();
        services.AddSingleton<BuildCompletions>();
        services.AddSingleton<LeaseReaper>();
        services.AddTransient<PlanIntake>();
        services.AddHostedService<DispatchLoop>();
        return services;
    }

    public static IBusRegistrationConfigurator AddControlPlaneConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CompatibilityRecordedConsumer, EventBatchDefinition<CompatibilityRecordedConsumer>>();
        bus.AddConsumer<WorkItemStartedConsumer, EventBatchDefinition<WorkItemStartedConsumer>>();
        bus.AddConsumer<ExecutorHeartbeatConsumer, HeartbeatBatchDefinition>();
        bus.AddConsumer<WorkItemHandedBackConsumer, EventBatchDefinition<WorkItemHandedBackConsumer>>();
        bus.AddConsumer<WorkItemDeadLetteredConsumer>();
        return bus;
    }
}
