using Factory.ControlPlane;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.State;
using Factory.Executor;
using Factory.Messaging;
using Factory.Records;
using Factory.ResultsConsumer;
using Factory.ServiceDefaults;
using Factory.Signing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Cli.Embedded;

/// <summary>
/// The embedded default in one process: the same control-plane core, executor and results consumer as the fleet,
/// composed over MassTransit's in-memory transport, with plan state and records in SQLite under the state directory
/// and the local Docker engine. So `run` honours priorities, budgets and deadlines, and dedupes, as the fleet does.
/// </summary>
public sealed class EmbeddedFleet : IAsyncDisposable
{
    private readonly IHost _host;

    public PlanIntake Intake => _host.Services.GetRequiredService<PlanIntake>();
    public IPlanStateStore State => _host.Services.GetRequiredService<IPlanStateStore>();
    public ICompatibilityRecordStore Records => _host.Services.GetRequiredService<ICompatibilityRecordStore>();
    public RunSignals Signals => _host.Services.GetRequiredService<RunSignals>();

    private EmbeddedFleet(IHost host) => _host = host;

    public static async Task<EmbeddedFleet> StartAsync(ExecutorOptions executor, ControlPlaneOptions controlPlane, Action<IBusRegistrationConfigurator>? observers,
        CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Traces and metrics only where they go somewhere: an OTLP endpoint (no HTTP listener in a CLI run).
        if (FactoryTelemetry.OtlpConfigured(builder.Configuration)) builder.AddFactoryTelemetry("factory-cli", prometheus: false);
        var services = builder.Services;
        services.AddControlPlaneCore(controlPlane);
        services.AddSingleton<IPlanStateStore>(new SqlitePlanStateStore(executor.StateDirectory));
        services.AddSqliteRecordStore(executor.StateDirectory);
        services.AddSingleton<IServedPools>(new FixedServedPools(executor.Pools));
        services.AddSingleton<IQueueDepths, UnknownQueueDepths>();
        services.AddSingleton(TrustOwnKey(executor.SigningKeyPath));
        services.AddExecutorServices(executor);
        services.AddHostedService<ExecutorHeartbeatService>();
        services.AddMassTransit(bus =>
        {
            bus.AddControlPlaneConsumers();
            bus.AddExecutor();
            bus.AddResultsConsumer();
            observers?.Invoke(bus);
            bus.UseFactoryTransport(new BusOptions { Transport = "inmemory" }, (context, cfg) => cfg.ConfigureWorkQueues(context, executor));
        });
        var host = builder.Build();
        await host.StartAsync(ct);
        await host.Services.GetRequiredService<ControlPlaneReadiness>().WhenReady.WaitAsync(ct);
        return new EmbeddedFleet(host);
    }

    /// <summary>
    /// The embedded fleet signs with this installation's key and its results consumer checks against the keyring
    /// (FACTORY_KEYRING, default ~/.config/factory/keyring): the key is enrolled there, so `run` then `verify` works out
    /// of the box, while the keyring stays apart from the state directory: a copied state directory, its records,
    /// evidence or .pub files are never trusted by being read. A key that others can read is refused first.
    /// </summary>
    private static SigningKey TrustOwnKey(string keyPath)
    {
        var key = SigningKey.LoadOrCreate(keyPath);
        var keyring = KeyringLocation.Default();
        if (Keyring.Enrol(keyring, key))
            Console.Error.WriteLine($"factory: signing key {key.KeyId} ({keyPath}) is now trusted: added to the keyring {keyring}");
        return key;
    }

    /// <summary>Waits until the plan completes (the signal, or the state store's word on a regular look).</summary>
    public async Task<PlanRunView> WaitCompletedAsync(Guid runId, CancellationToken ct)
    {
        while (true)
        {
            var completed = Signals.WhenCompleted(runId);
            var counts = await State.CountItemsAsync(runId, ct);
            if (counts.Done) return (await PlanRunView.LoadAsync(runId, State, Records, withItems: true, ct))!;
            await Task.WhenAny(completed, Task.Delay(TimeSpan.FromSeconds(1), ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
