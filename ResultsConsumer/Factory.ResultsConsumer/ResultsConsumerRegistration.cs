using Factory.ResultsConsumer.Records;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Factory.ResultsConsumer;

public sealed class ResultsConsumerOptions
{
    public string StateDirectory { get; set; } = ".factory";
}

public static class ResultsConsumerRegistration
{
    /// <summary>The SQLite + JSON-file record store of the embedded default.</summary>
    public static IServiceCollection AddSqliteRecordStore(this IServiceCollection services, string stateDirectory)
    {
        services.TryAddSingleton<ICompatibilityRecordStore>(_ => new SqliteCompatibilityRecordStore(stateDirectory));
        return services;
    }

    /// <summary>The PostgreSQL record store, on the connection string ConnectionStrings:Factory.</summary>
    public static IServiceCollection AddPostgresRecordStore(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        services.AddPostgresRecordStore(Microsoft.Extensions.Configuration.ConfigurationExtensions.GetConnectionString(configuration, "Factory")
            ?? throw new InvalidOperationException("ConnectionStrings:Factory (PostgreSQL) is not configured"));

    /// <summary>The PostgreSQL record store of the distributed fleet (schema created at start).</summary>
    public static IServiceCollection AddPostgresRecordStore(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => new Npgsql.NpgsqlDataSourceBuilder(connectionString).Build());
        services.TryAddSingleton<PostgresCompatibilityRecordStore>();
        services.TryAddSingleton<ICompatibilityRecordStore>(sp => sp.GetRequiredService<PostgresCompatibilityRecordStore>());
        services.AddHostedService<RecordStoreSchema>();
        return services;
    }

    /// <summary>Registers the results consumer on the bus (its queue: "results").</summary>
    public static IBusRegistrationConfigurator AddResultsConsumer(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddConsumer<RecordWorkItemResultConsumer, RecordWorkItemResultConsumerDefinition>();
        return bus;
    }
}

/// <summary>The results queue: retry while the record store is away; a redelivered result changes nothing.</summary>
public sealed class RecordWorkItemResultConsumerDefinition : ConsumerDefinition<RecordWorkItemResultConsumer>
{
    public RecordWorkItemResultConsumerDefinition() => EndpointName = Factory.Messaging.WorkQueues.Results;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<RecordWorkItemResultConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r =>
        {
            r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
            r.Handle<Factory.Contracts.Failures.InfrastructureException>();
        });
    }
}

/// <summary>Creates the schema once PostgreSQL answers; until then it keeps trying (the consumers' retries cover the wait).</summary>
internal sealed class RecordStoreSchema(IServiceProvider services, Microsoft.Extensions.Logging.ILogger<RecordStoreSchema> logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = services.GetRequiredService<PostgresCompatibilityRecordStore>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.EnsureSchemaAsync(stoppingToken);
                return;
            }
            catch (Factory.Contracts.Failures.InfrastructureException ex)
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "waiting for PostgreSQL (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken);
            }
        }
    }
}
