using Factory.Messaging;
using Factory.Records;
using Factory.Signing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.ResultsConsumer;

public static class ResultsConsumerService
{
    /// <summary>The distributed results consumer: the results queue on the configured bus, records in PostgreSQL.</summary>
    public static IHostApplicationBuilder AddResultsConsumerService(this IHostApplicationBuilder builder)
    {
        var bus = BusOptions.From(builder.Configuration);
        var options = builder.Configuration.GetSection(ResultsConsumerOptions.Section).Get<ResultsConsumerOptions>() ?? new ResultsConsumerOptions();
        options.Keyring = builder.Configuration[KeyringLocation.ConfigurationKey] ?? options.Keyring ?? KeyringLocation.Default();
        // At start, not at the first result: a missing or unreadable keyring is a set-up error naming the path.
        using (Keyring.Load(options.Keyring)) { }
        builder.Services.AddSingleton(options);
        builder.Services.AddPostgresRecordStore(builder.Configuration);
        builder.Services.AddMassTransit(x =>
        {
            x.AddResultsConsumer();
            x.UseFactoryTransport(bus);
        });
        return builder;
    }
}
