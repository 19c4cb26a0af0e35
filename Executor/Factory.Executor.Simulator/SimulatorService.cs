using System.Net.Http.Json;
using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Evidence;
using Factory.Executor.Bench;
using Factory.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Factory.Executor.Simulator;

/// <summary>
/// SIMULATOR — hundreds of simulated executors in one process, like LUCI Swarming's load-test bots: a load test of the
/// control plane with real queues, real messages, the real results consumer and real heartbeats, and no builds. It is
/// a program of its own, never started unless asked for, says so when it starts, serves only a pool named sim…, and
/// refuses a pool that a real executor serves.
/// </summary>
public static class SimulatorService
{
    /// <summary>--pool sim, --executors N, --control-plane URL, --state DIR, --manifest-store DIR, --build-median hh:mm:ss, --build-spread σ.</summary>
    public static void AddSimulatorCommandLine(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--pool"] = $"{SimulatorOptions.Section}:Pool",
            ["--executors"] = $"{SimulatorOptions.Section}:Executors",
            ["--control-plane"] = $"{SimulatorOptions.Section}:ControlPlane",
            ["--build-median"] = $"{SimulatorOptions.Section}:BuildMedian",
            ["--build-spread"] = $"{SimulatorOptions.Section}:BuildSpread",
            ["--state"] = $"{ExecutorService.Section}:StateDirectory",
            ["--manifest-store"] = $"{ExecutorService.Section}:ManifestStore",
        });

    /// <summary>Checks the options and the pool, then composes the simulated executors; returns why it refuses to start, or null.</summary>
    public static async Task<string?> AddSimulatedExecutorsAsync(this IHostApplicationBuilder builder)
    {
        SimulatorOptions simulator;
        ExecutorOptions executor;
        BusOptions bus;
        try
        {
            simulator = builder.Configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
            executor = builder.Configuration.GetSection(ExecutorService.Section).Get<ExecutorOptions>() ?? new ExecutorOptions();
            bus = BusOptions.From(builder.Configuration);
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            return ex.Message;
        }
        if (simulator.Problems().ToList() is { Count: > 0 } problems) return string.Join("; ", problems);
        if (SimulatedPool.Refusal(simulator.Pool, []) is { } badName) return badName;
        try
        {
            if (SimulatedPool.Refusal(simulator.Pool, await ServingExecutorsAsync(simulator.ControlPlane!)) is { } shared) return shared;
        }
        catch (InfrastructureException ex)
        {
            return ex.Message;
        }

        executor.Pools = [simulator.Pool];
        executor.Concurrency = simulator.Executors;
        executor.Engine = ExecutorEngines.BenchInstant;
        executor.Host = $"simulated-{executor.Host}";
        var executors = new SimulatedExecutors(simulator.Executors, Environment.MachineName, Environment.ProcessId);
        Console.Error.WriteLine($"simulator: {simulator.Executors} SIMULATED executors ({executors.Snapshot()[0].Id}, …) on pool {simulator.Pool}: " +
            $"they build and test nothing; each item passes after a drawn duration (lognormal, median {simulator.BuildMedian}, σ {simulator.BuildSpread})");

        builder.Services.AddSingleton(simulator);
        builder.Services.AddSingleton(executors);
        builder.Services.AddSingleton(new BuildDuration(simulator));
        // The bench-only instant engine makes each result without a build; the rest of the pipeline is the real one.
        builder.Services.AddBenchInstantEngine();
        builder.Services.AddEvidenceStores(new EvidenceStores(new EvidenceOptions(), executor.StateDirectory));
        builder.Services.AddExecutorServices(executor);
        builder.Services.AddHostedService<SimulatedHeartbeatService>();
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<SimulatedWorkItemConsumer>().ExcludeFromConfigureEndpoints();
            // As many deliveries at once as there are simulated executors: each takes one for its duration.
            x.UseFactoryTransport(bus,
                (context, cfg) => cfg.ConfigureWorkQueue<SimulatedWorkItemConsumer>(context, simulator.Pool, simulator.Executors, executor.Retry));
        });
        return null;
    }

    private static async Task<IReadOnlyList<ServingExecutor>> ServingExecutorsAsync(string controlPlane)
    {
        using var http = new HttpClient { BaseAddress = new Uri(controlPlane), Timeout = TimeSpan.FromSeconds(30) };
        // The control plane's reads need a token unless it allows anonymous reads; the same variable as the CLI's.
        if (Environment.GetEnvironmentVariable("FACTORY_TOKEN") is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
        try
        {
            return await http.GetFromJsonAsync<List<ServingExecutor>>("/api/executors", new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
                ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new InfrastructureException($"control plane at {controlPlane}",
                $"cannot list the executors that serve the pool (GET /api/executors: {ex.Message}); the simulator starts only once it knows no real executor serves it");
        }
    }
}
