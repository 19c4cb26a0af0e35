using System.Diagnostics;
using System.Text.Json;
using Factory.Executor.Engine;
using Factory.Manifests;
using Factory.Testing;

namespace Factory.Bench;

/// <summary>
/// One real factory job against the same work done by hand. Factory: `factory run` as a whole process (the embedded
/// default) of a one-item plan, llm_factory on linux/amd64 with a numerics version never built before: its fragment
/// starts with a marker unique to the round, so the numpy layer is built again. By hand: `docker build` of the very
/// same stitched Dockerfile and context (the factory's own, taken from an untimed first job, with a marker of its own so
/// neither is served from the other's cache) and one `docker run` per test of the suite, as the executor used to run
/// them. The two alternate, the order swapping every round; the row is the ratio of the medians.
/// </summary>
public static class JobOverhead
{
    /// <summary>One round: both wall times, and the stages of the factory's record (ms per stage, and the whole job inside the process).</summary>
    public sealed record Round(int Number, string RanFirst, double FactorySeconds, double ByHandSeconds, double ByHandBuildSeconds,
        double ByHandTestSeconds, double JobSeconds, IReadOnlyDictionary<string, long> StageMs);

    public sealed record Result(int Rounds, IReadOnlyList<Round> Samples, double FactoryMedianSeconds, double ByHandMedianSeconds,
        double JobMedianSeconds, IReadOnlyDictionary<string, double> StageMedianMs);

    public static async Task<Result> RunAsync(int rounds, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "factory_bench_job_" + Guid.NewGuid().ToString("N")[..10]);
        var store = Path.Combine(root, "manifests");
        try
        {
            LocalFleet.CopyDirectory(RepoRoot.Manifests, store);
            Shell.Log("job overhead: building the CLI (untimed)");
            await RunFactoryAsync(["manifests", "validate", "--manifest-store", store], ct);
            var suite = ManifestStoreLoader.Load(store).TestSuites["llm"].Tests.Where(t => t.Platforms is null || t.Platforms.Contains("linux/amd64")).ToList();

            Shell.Log("job overhead: a first job, untimed (caches, and the stitched Dockerfile done by hand)");
            var first = await FactoryJobAsync(root, store, 0, ct);
            var byHand = ByHandJob.From(first.Record, first.State, store, first.Marker, root);

            var samples = new List<Round>();
            for (var n = 1; n <= rounds; n++)
            {
                var factoryFirst = n % 2 == 1;
                FactoryJob? job = null;
                ByHandJob.Timing? manual = null;
                for (var leg = 0; leg < 2; leg++)
                {
                    if ((leg == 0) == factoryFirst) job = await FactoryJobAsync(root, store, n, ct);
                    else manual = await byHand.RunAsync(suite, ct);
                }
                var timings = job!.Record.GetProperty("timings");
                var stages = StageFields.ToDictionary(s => s, s => timings.GetProperty(s + "_ms").GetInt64());
                var jobSeconds = (timings.GetProperty("finished_at").GetDateTimeOffset() - timings.GetProperty("started_at").GetDateTimeOffset()).TotalSeconds;
                var round = new Round(n, factoryFirst ? "factory" : "by hand", job.Seconds, manual!.Seconds, manual.BuildSeconds, manual.TestSeconds, jobSeconds, stages);
                Shell.Log($"job overhead: round {n}: factory {round.FactorySeconds:0.00} s (job {jobSeconds:0.00} s), by hand {round.ByHandSeconds:0.00} s " +
                    $"(build {manual.BuildSeconds:0.00} s, {suite.Count} runs {manual.TestSeconds:0.00} s)");
                samples.Add(round);
            }
            return new Result(rounds, samples, Median(samples.Select(s => s.FactorySeconds)), Median(samples.Select(s => s.ByHandSeconds)),
                Median(samples.Select(s => s.JobSeconds)), StageFields.ToDictionary(s => s, s => Median(samples.Select(r => (double)r.StageMs[s]))));
        }
        finally
        {
            await Shell.Quietly("delete job temp dir", () => Task.Run(() => { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }));
        }
    }

    private static readonly string[] StageFields = ["render", "build", "push", "test", "sbom", "provenance", "evidence", "record"];

    /// <summary>A factory job: its wall time, its record, its state directory and the marker in its fragment.</summary>
    private sealed record FactoryJob(double Seconds, JsonElement Record, string State, string Marker);

    /// <summary>`factory run` of a fresh numerics version, timed as a whole process, on a state directory of its own.</summary>
    private static async Task<FactoryJob> FactoryJobAsync(string root, string store, int round, CancellationToken ct)
    {
        var marker = Guid.NewGuid().ToString("N");
        var version = $"1.0.{900 + round}";
        await MarkedModule.AddAsync(store, "numerics", version, marker, ct);
        var plan = $"bench_job_{round}";
        await File.WriteAllTextAsync(Path.Combine(store, "plans", plan + ".yaml"),
            $"id: {plan}\nmanifest: llm_factory\nmatrix: {{numerics: [{version}]}}\nplatforms: [linux/amd64]\n", ct);
        var state = Path.Combine(root, $"state-{round}");

        var clock = Stopwatch.StartNew();
        var run = await RunFactoryAsync(["run", plan, "--manifest-store", store, "--state", state, "--json"], ct);
        var seconds = clock.Elapsed.TotalSeconds;

        var item = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("items")[0];
        if (item.GetProperty("status").GetString() != "passed") throw new InvalidOperationException($"the factory job did not pass:\n{run.Stdout}");
        var build = item.GetProperty("build_id").GetString()!;
        var file = Directory.EnumerateFiles(Path.Combine(state, "records"), build + ".json", SearchOption.AllDirectories).Single();
        return new FactoryJob(seconds, JsonDocument.Parse(await File.ReadAllTextAsync(file, ct)).RootElement.Clone(), state, marker);
    }

    internal static async Task<ProcessResult> RunFactoryAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(Path.Combine(RepoRoot.Path, "factory"), args, null, TimeSpan.FromMinutes(30), ct, RepoRoot.Path);
        if (result.ExitCode != 0) throw new InvalidOperationException($"factory {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Combined}");
        return result;
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
