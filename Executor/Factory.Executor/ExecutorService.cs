using Factory.Contracts.Failures;
using Factory.Contracts.Health;
using Factory.Evidence;
using Factory.Executor.Bench;
using Factory.Executor.Drain;
using Factory.Executor.Engine;
using Factory.Manifests;
using Factory.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor;

public static class ExecutorService
{
    public const string Section = "Executor";

    /// <summary>--pool amd64|arm64|gpu and --concurrency N, on top of the Executor section.</summary>
    public static void AddExecutorCommandLine(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--pool"] = $"{Section}:Pools:0",
            ["--concurrency"] = $"{Section}:Concurrency",
            ["--state"] = $"{Section}:StateDirectory",
            ["--manifest-store"] = $"{Section}:ManifestStore",
            ["--exit-after-items"] = $"{Section}:ExitAfterItems",
            ["--exit-when-idle-seconds"] = $"{Section}:ExitWhenIdleSeconds",
        });

    /// <summary>
    /// The distributed executor: checks it can serve its pool (engine reachable; arm64 natively or through QEMU;
    /// an NVIDIA GPU for gpu), then consumes only its pool's queue. Returns why it refuses to start, or null.
    /// </summary>
    public static async Task<string?> AddExecutorServiceAsync(this IHostApplicationBuilder builder)
    {
        ExecutorOptions options;
        try
        {
            options = builder.Configuration.GetSection(Section).Get<ExecutorOptions>() ?? new ExecutorOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the type it expected ("Executor:Drain:GraceSeconds" ... "System.Int32").
            return ex.Message;
        }
        if (options.Drain.Validate() is { } drain) return drain;
        if (!MemorySize.TryParse(options.TestMemory, out _))
            return $"Executor:TestMemory is '{options.TestMemory}': expected a size as docker run --memory takes it, such as 512m or 2g";
        if (builder.Configuration.GetSection($"{Section}:Pools").Get<List<string>>() is { Count: > 0 } pools)
            options.Pools = pools.Distinct().ToList();
        BusOptions bus;
        try
        {
            bus = BusOptions.From(builder.Configuration);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            return ex.Message;
        }
        try
        {
            builder.Services.AddSingleton(Factory.Signing.SigningKey.LoadOrCreate(options.SigningKeyPath));
        }
        catch (Factory.Signing.TrustSetupException ex)
        {
            return ex.Message;
        }
        EvidenceStores evidence;
        try
        {
            evidence = new EvidenceStores(EvidenceOptions.From(builder.Configuration), options.StateDirectory);
        }
        catch (InvalidInputException ex)
        {
            return ex.Message;
        }
        if (!ExecutorEngines.All.Contains(options.Engine))
            return $"Executor:Engine is '{options.Engine}': expected one of {string.Join(", ", ExecutorEngines.All)}";
        if (options.ExitAfterItems < 0 || options.ExitWhenIdleSeconds < 0)
            return $"Executor:ExitAfterItems and Executor:ExitWhenIdleSeconds must not be negative (0: never), found {options.ExitAfterItems} and {options.ExitWhenIdleSeconds}";
        if (options.Engine == ExecutorEngines.BenchInstant)
        {
            Console.Error.WriteLine("executor: BENCH ONLY: Executor:Engine=bench-instant builds and tests nothing; every item passes at once");
            builder.Services.AddBenchInstantEngine();
        }
        try
        {
            if (options.Engine == ExecutorEngines.Docker)
            {
                using var engine = new DockerEngine(options);
                // An engine restarting (its socket there, nothing answering yet) is waited for, as `factory run` waits.
                await engine.WaitUntilAvailableAsync(DockerEngine.RestartPatience, m => Console.Error.WriteLine($"executor: warning: {m}"), CancellationToken.None);
                await PoolCapabilities.EnsureCanServeAsync(engine, options.Pools, CancellationToken.None, options.BinfmtDirectory);
            }
            // Evidence:Store=s3: the endpoint answers, the credentials are right, the bucket exists (created if missing).
            await evidence.EnsureReadyAsync(CancellationToken.None);
        }
        catch (InfrastructureException ex)
        {
            evidence.Dispose();
            return ex.Message;
        }
        builder.Services.AddEvidenceStores(evidence);
        builder.Services.AddExecutorServices(options);
        builder.Services.AddSingleton<IReadinessProbe, EvidenceStoreProbe>();
        builder.Services.AddSingleton<IReadinessProbe, ContainerEngineProbe>();
        // First of the hosted services: no heartbeat is sent and no work taken until the cache is warm.
        if (options.Prewarm) builder.Services.AddHostedService<Prewarm.PrewarmAtStart>();
        builder.Services.AddExecutorDrain(options.Drain);
        builder.Services.AddHostedService<ExecutorHeartbeatService>();
        builder.Services.AddExecutorExit(options);
        builder.Services.AddHostedService<ExecutorSlotsGauge>();
        builder.Services.AddMassTransit(x =>
        {
            x.AddExecutor();
            x.UseFactoryTransport(bus, (context, cfg) => cfg.ConfigureWorkQueues(context, options));
        });
        return null;
    }
}
