using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor.Drain;

public static class DrainRegistration
{
    /// <summary>
    /// SIGTERM drains the distributed executor. MassTransit's bus stop already stops the queue consumers first and waits
    /// for the deliveries in progress; ConsumerStopTimeout (the grace) is when it cancels their ConsumeContext, and a
    /// consumer that then throws OperationCanceledException is neither retried nor moved to the error queue: the
    /// delivery is not acknowledged and the broker requeues it when the channel closes. The host waits for all of it.
    /// Call before AddMassTransit, so that the drain's report comes after the bus has stopped.
    /// </summary>
    public static IServiceCollection AddExecutorDrain(this IServiceCollection services, DrainOptions drain)
    {
        services.Configure<HostOptions>(o => o.ShutdownTimeout = drain.ShutdownTimeout);
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.ConsumerStopTimeout = drain.Grace;
            o.StopTimeout = drain.BusStopTimeout;
        });
        services.AddHostedService<ExecutorDrain>();
        return services;
    }
}
