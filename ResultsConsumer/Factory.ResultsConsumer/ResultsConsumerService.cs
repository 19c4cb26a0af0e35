using Factory.Messaging;
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
        var bus = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var connectionString = builder.Configuration.GetConnectionString("Factory")
            ?? throw new InvalidOperationException("ConnectionStrings:Factory (PostgreSQL) is not configured");
        builder.Services.AddPostgresRecordStore(connectionString);
        builder.Services.AddMassTransit(x =>
        {
            x.AddResultsConsumer();
            x.UseFactoryTransport(bus);
        });
        return builder;
    }
}
