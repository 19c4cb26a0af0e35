using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Factory.Planning;
using Factory.Contracts;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Executor.Prewarm;
using Factory.Executor.Stages;
using Factory.Manifests;

namespace Factory.Cli.Commands;

/// <summary>
/// `factory prewarm [--pool P] [--json]`: builds the stable layers of the manifest store (each plan's base and the slots
/// below those it varies, see StableLayers) into the pool's cache, on this machine's engine and in the registry, for
/// the pool's platform. Without --pool, every pool this machine serves. Exit 0 all built, 1 some fragment failed to
/// build, 2 bad input (an unknown pool) or infrastructure down.
/// </summary>
internal static class PrewarmCommand
{
    public static Command Create()
    {
        var pool = new Option<string?>("--pool") { Description = "The pool whose cache to warm: amd64, arm64 or gpu (default: every pool this machine can serve)" };
        var store = CommonOptions.ManifestStore();
        var state = CommonOptions.State();
        var json = CommonOptions.Json();
        var command = new Command("prewarm", "Build the stable layers of the manifest store (base and the slots plans do not vary) into a pool's build cache") { pool, store, state, json };
        command.SetAction((parse, ct) => CommonOptions.Guard(() => RunAsync(parse.GetValue(pool), parse.GetValue(store)!, parse.GetValue(state)!, parse.GetValue(json), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? poolName, string storeDirectory, string stateDirectory, bool json, CancellationToken ct)
    {
        var requested = poolName is null ? null : PoolCatalog.Default.Named(poolName) ?? throw new InvalidInputException("--pool", "",
            $"unknown pool {Names.Quote(poolName)}: expected one of {string.Join(", ", PoolCatalog.Default.Pools.Select(p => p.Name))}");
        var options = new ExecutorOptions { ManifestStore = storeDirectory, StateDirectory = stateDirectory, Registry = CommonOptions.Registry };
        using var engine = new DockerEngine(options);
        await engine.WaitUntilAvailableAsync(DockerEngine.RestartPatience, CommonOptions.Warn, ct);
        var pools = await PoolCapabilities.EnsureCanServeAsync(engine, requested is null ? null : [requested.Name], ct);
        options.Pools = [.. pools];
        var prewarmer = new Prewarmer(engine, new RenderStage(options, TimeProvider.System), options);

        var watch = Stopwatch.StartNew();
        var results = new List<PrewarmedLayers>();
        foreach (var name in pools)
        {
            var targets = await prewarmer.TargetsAsync(PoolCatalog.Default.Named(name)!, ct);
            if (!json) await Console.Error.WriteLineAsync($"prewarm {name}: {targets.Count} run(s) of stable layers");
            foreach (var target in targets)
            {
                var built = await prewarmer.BuildAsync(target, ct);
                results.Add(built);
                if (!json) Print(built);
            }
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { pools, seconds = watch.Elapsed.TotalSeconds, layers = results }, FactoryJson.Options));
        else Console.WriteLine($"prewarmed {results.Count(r => r.Succeeded)} of {results.Count} in {watch.Elapsed.TotalSeconds:0.0} s");
        return results.All(r => r.Succeeded) ? ExitCodes.Passed : ExitCodes.Failed;
    }

    private static void Print(PrewarmedLayers built)
    {
        Console.WriteLine($"{built.Pool,-6} {built.Manifest} {built.Platform} [{string.Join(", ", built.Layers)}] " +
            $"{(built.Succeeded ? "built" : "FAILED")} in {built.Seconds:0.0} s, {built.CachedSteps}/{built.Steps} steps cached → {built.CacheTag}");
        if (built.LogTail is { } tail) Console.WriteLine(tail);
    }
}
