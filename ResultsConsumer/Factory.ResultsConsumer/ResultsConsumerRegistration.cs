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

    /// <summary>Registers the results consumer on the bus (its queue: "results").</summary>
    public static IBusRegistrationConfigurator AddResultsConsumer(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddConsumer<RecordWorkItemResultConsumer>().Endpoint(e => e.Name = "results");
        return bus;
    }
}
