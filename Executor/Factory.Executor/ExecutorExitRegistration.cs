using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Executor;

public static class ExecutorExitRegistration
{
    /// <summary>
    /// Executor:ExitAfterItems and Executor:ExitWhenIdleSeconds, for executors that run as one Kubernetes Job per item;
    /// nothing is registered when both are zero (a long-running executor).
    /// </summary>
    public static IServiceCollection AddExecutorExit(this IServiceCollection services, ExecutorOptions options)
    {
        var policy = ExecutorExitPolicy.From(options);
        if (!policy.Enabled) return services;
        services.AddSingleton(policy);
        services.AddSingleton(sp => new WorkQueueActivity(options, policy, sp.GetRequiredService<TimeProvider>()));
        services.AddReceiveObserver(sp => new WorkQueueObserver(sp.GetRequiredService<WorkQueueActivity>()));
        services.AddHostedService<ExitWhenDoneService>();
        return services;
    }
}
