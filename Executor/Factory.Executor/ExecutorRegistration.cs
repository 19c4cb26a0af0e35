using Factory.Contracts.Messages;
using Factory.Evidence;
using Factory.Executor.Drain;
using Factory.Executor.Engine;
using Factory.Executor.Registry;
using Factory.Executor.Stages;
using Factory.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.Executor;

public static class ExecutorRegistration
{
    public static IServiceCollection AddExecutorServices(this IServiceCollection services, ExecutorOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IContainerEngine, DockerEngine>();
        services.AddLocalEvidenceStore(options.StateDirectory);
        services.TryAddSingleton<IRegistryTagger>(_ => new RegistryTagger(new HttpClient { Timeout = TimeSpan.FromMinutes(10) }, options));
        services.AddSingleton<RenderStage>();
        services.AddSingleton<BuildStage>();
        services.AddSingleton<PushStage>();
        services.AddSingleton<TestStage>();
        services.AddSingleton<PromoteStage>();
        services.AddSingleton<SbomStage>();
        services.AddSingleton<ProvenanceStage>();
        services.AddSingleton<EvidenceStage>();
        services.AddSingleton<RecordSignatureStage>();
        services.AddSingleton<Prewarm.Prewarmer>();
        services.TryAddSingleton(_ => Factory.Signing.SigningKey.LoadOrCreate(options.SigningKeyPath));
        services.TryAddSingleton<IWorkItemPipeline, WorkItemPipeline>();
        services.AddSingleton<DeadLetterNotice>();
        services.AddSingleton<ExecutorLoad>();
        services.AddSingleton<DrainSignal>();
        services.AddSingleton<HandBackNotice>();
        services.AddGroupPublisher<WorkItemStarted, WorkItemStartedGroup>(starts => new WorkItemStartedGroup { Starts = starts });
        return services;
    }

    public static IBusRegistrationConfigurator AddExecutor(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ExecuteWorkItemConsumer>().ExcludeFromConfigureEndpoints();
        return bus;
    }

    /// <summary>One receive endpoint per served pool (wq-&lt;pool&gt;), with the concurrency limit and the retry policy.</summary>
    public static void ConfigureWorkQueues(this IBusFactoryConfigurator cfg, IBusRegistrationContext context, ExecutorOptions options)
    {
        foreach (var pool in options.Pools) cfg.ConfigureWorkQueue<ExecuteWorkItemConsumer>(context, pool, options.Concurrency, options.Retry);
    }

    /// <summary>The receive endpoint of one pool's queue: as many deliveries at once as <paramref name="concurrency"/>, priorities, the retry policy.</summary>
    public static void ConfigureWorkQueue<TConsumer>(this IBusFactoryConfigurator cfg, IBusRegistrationContext context, string pool, int concurrency, RetryOptions retry)
        where TConsumer : class, IConsumer =>
        cfg.ReceiveEndpoint(WorkQueues.For(pool), e =>
        {
            e.ConcurrentMessageLimit = concurrency;
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.PrefetchCount = concurrency;
                rabbit.EnablePriority(WorkQueues.MaxPriority);
            }
            e.UseMessageRetry(r => RetryPolicy.Configure(r, retry));
            e.ConfigureConsumer<TConsumer>(context);
        });
}
