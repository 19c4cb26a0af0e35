using System.Diagnostics;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor;
using Factory.Executor.Bench;
using Factory.Manifests;
using Factory.Planning;
using Factory.Planning.Registry;
using Factory.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Factory.Bench;

/// <summary>
/// The executor's pipeline alone: the same 2,000 bench_matrix items as <see cref="DispatchThroughput"/>, each run
/// through <see cref="IWorkItemPipeline"/> on the bench-only instant engine (render, evidence, SBOM, provenance and the
/// record's signature real; the build and the tests not) in this process, 32 at a time as the bench's two executors
/// take them, with no bus, no lease, no record and no control plane. The work items are prepared as the control plane
/// prepares them (the local registry resolves the base). Warmed on 2,000 other items first. What it measures is the
/// most the whole loop could reach on this machine if everything but the executor's own work cost nothing: the
/// ceiling of <c>dispatch_throughput</c>, as items/s and the CPU per item this process spent.
/// </summary>
public static class PipelineAlone
{
    public const string Id = "pipeline_alone";
    private const int AtOnce = 32;

    public sealed record Result(int Items, double Seconds, double ItemsPerSecond, double CpuMsPerItem);

    public static async Task<Result> RunAsync(CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "factory_bench_pipeline_" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var manifests = Path.Combine(root, "manifests");
            LocalFleet.CopyDirectory(RepoRoot.Manifests, manifests);
            BenchManifests.AddTo(manifests, 1);
            var warm = await ItemsAsync(root, manifests, "bench_pipeline_warm", Enumerable.Range(22, 10), Enumerable.Range(10, 10), ct);
            var measured = await ItemsAsync(root, manifests, "bench_pipeline", Enumerable.Range(22, 10), Enumerable.Range(0, 10), ct);

            var options = new ExecutorOptions
            {
                ManifestStore = manifests, StateDirectory = Path.Combine(root, "state"), Engine = ExecutorEngines.BenchInstant,
                Concurrency = AtOnce, Host = "bench-pipeline", ExecutorId = "bench-pipeline",
            };
            var services = new ServiceCollection()
                .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
                .AddBenchInstantEngine()
                .AddExecutorServices(options);
            await using var provider = services.BuildServiceProvider();
            var pipeline = provider.GetRequiredService<IWorkItemPipeline>();

            Shell.Log($"pipeline alone: {warm.Count} items to warm up, then {measured.Count} measured, {AtOnce} at a time, in this process");
            await RunAllAsync(pipeline, warm, ct);
            using var self = Process.GetCurrentProcess();
            var (user, kernel) = (self.UserProcessorTime, self.PrivilegedProcessorTime);
            var (allocated, collections, paused) = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.GetTotalPauseDuration());
            var clock = Stopwatch.StartNew();
            await RunAllAsync(pipeline, measured, ct);
            var seconds = clock.Elapsed.TotalSeconds;
            self.Refresh();
            var userMs = (self.UserProcessorTime - user).TotalMilliseconds / measured.Count;
            var kernelMs = (self.PrivilegedProcessorTime - kernel).TotalMilliseconds / measured.Count;
            var cpuMs = userMs + kernelMs;
            Shell.Log($"pipeline alone: {measured.Count} items in {seconds:F2} s, {cpuMs:F2} ms of CPU per item ({userMs:F2} user, {kernelMs:F2} kernel); " +
                $"{(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / measured.Count:F0} KB allocated per item, {GC.CollectionCount(0) - collections} collections, " +
                $"{(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms paused");
            return new Result(measured.Count, seconds, measured.Count / seconds, cpuMs);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The plan's items (versions 22–31 of bench-a, <paramref name="b"/> of bench-b, 0–19 of bench-c) as the control plane makes them.</summary>
    private static async Task<IReadOnlyList<WorkItem>> ItemsAsync(string root, string manifests, string id, IEnumerable<int> a, IEnumerable<int> b,
        CancellationToken ct)
    {
        var path = Path.Combine(root, id + ".yaml");
        await File.WriteAllTextAsync(path, BenchManifests.MatrixPlan(id, a, b, Enumerable.Range(0, 20)), ct);
        var store = ManifestStoreLoader.Load(manifests);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var preparer = new PlanPreparer(new RegistryClient(http), PoolCatalog.Default, new RegistryOptions());
        return await preparer.PrepareAsync(PlanReader.Load(path, store), store, ["amd64"], DateTimeOffset.UtcNow, ct);
    }

    private static async Task RunAllAsync(IWorkItemPipeline pipeline, IReadOnlyList<WorkItem> items, CancellationToken ct)
    {
        var failed = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = ct }, async (item, token) =>
        {
            var build = Guid.NewGuid();
            var result = await pipeline.RunAsync(new ExecuteWorkItem { BuildId = build, Item = item }, Delivery.New(build, 1), token);
            if (result.Status != RecordStatus.Passed) Interlocked.Increment(ref failed);
        });
        if (failed > 0) throw new InvalidOperationException($"pipeline alone: {failed} of {items.Count} items did not pass");
    }
}
