using Factory.ControlPlane.Consumers;
using Factory.ControlPlane.DeadLetters;
using Factory.ControlPlane.Planning;
using Factory.ControlPlane.Registry;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Failures;
using Factory.Messaging;
using Factory.Records;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.ControlPlane;

public static class ControlPlaneService
{
    /// <summary>The distributed control plane: plan intake and dispatch over the configured bus, state and records in PostgreSQL.</summary>
    public static IHostApplicationBuilder AddControlPlaneServices(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();
        var bus = BusOptions.From(builder.Configuration);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(bus.RabbitMq);
        services.AddSingleton(TimeProvider.System);
        services.AddPostgresRecordStore(builder.Configuration);
        services.AddSingleton<PlanRunStore>();
        services.AddSingleton(PoolCatalog.Default);
        services.AddSingleton(new RegistryOptions { Address = options.Registry });
        services.AddHttpClient<IBaseImageResolver, RegistryClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddScoped<PlanPreparer>();
        services.AddScoped<IWorkSender, MassTransitWorkSender>();
        services.AddScoped<WorkDispatcher>();
        services.AddScoped<PlanIntake>();
        services.AddSingleton<DeadLetterQueue>();
        services.AddHostedService<ControlPlaneStartup>();
        services.AddMassTransit(x =>
        {
            x.AddConsumer<CompatibilityRecordedConsumer>();
            x.AddConsumer<WorkItemStartedConsumer>();
            x.AddConsumer<WorkItemDeadLetteredConsumer>();
            x.AddConsumer<ExecutorHeartbeatConsumer>();
            x.AddConfigureEndpointsCallback((_, cfg) => cfg.UseMessageRetry(r => RetryPolicy.Configure(r, options.Retry)));
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("control-plane", false));
            x.UseFactoryTransport(bus);
        });
        return builder;
    }
}

/// <summary>Creates the schema, then keeps dispatching what waits on budgets or keys in flight.</summary>
internal sealed class ControlPlaneStartup(IServiceScopeFactory scopes, PlanRunStore runs, ControlPlaneOptions options, ILogger<ControlPlaneStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await runs.EnsureSchemaAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (FailureClassifier.IsRetryable(ex))
            {
                logger.LogWarning("waiting for PostgreSQL (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken);
            }
        }
        using var timer = new PeriodicTimer(options.DispatchInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<WorkDispatcher>().PumpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("dispatch pass failed, will retry: {Message}", ex.Message);
            }
        }
    }
}
