using Factory.Contracts.Messages;
using Factory.Executor;
using Factory.Messaging;
using Factory.Records;
using Factory.ResultsConsumer;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cli.Embedded;

/// <summary>
/// The embedded default in one process: the executor's pool queues and the results consumer on MassTransit's
/// in-memory transport, the SQLite record store, the local Docker engine. The same Add…() extensions compose
/// the distributed services.
/// </summary>
public sealed class EmbeddedFleet : IAsyncDisposable
{
    private readonly IHost _host;
    public PlanTracker Tracker { get; }

    private EmbeddedFleet(IHost host)
    {
        _host = host;
        Tracker = host.Services.GetRequiredService<PlanTracker>();
    }

    public static async Task<EmbeddedFleet> StartAsync(ExecutorOptions executor, ICompatibilityRecordStore records, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddExecutorServices(executor);
        builder.Services.AddSingleton(records);
        builder.Services.AddSingleton<PlanTracker>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddExecutor();
            bus.AddResultsConsumer();
            bus.AddConsumer<PlanProgressConsumer>();
            bus.UseFactoryTransport(new BusOptions { Transport = "inmemory" }, (context, cfg) => cfg.ConfigureWorkQueues(context, executor));
        });
        var host = builder.Build();
        await host.StartAsync(ct);
        return new EmbeddedFleet(host);
    }

    public async Task DispatchAsync(IEnumerable<ExecuteWorkItem> commands, CancellationToken ct)
    {
        var sender = _host.Services.GetRequiredService<ISendEndpointProvider>();
        foreach (var command in commands.OrderByDescending(c => c.Item.Priority))
        {
            Tracker.Expect(command.BuildId);
            var endpoint = await sender.GetSendEndpoint(WorkQueues.AddressFor(command.Item.Pool));
            await endpoint.Send(command, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
