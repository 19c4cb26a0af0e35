using System.Diagnostics;
using System.Text.Json;
using Factory.Testing;

namespace Factory.Bench;

/// <summary>
/// The first item of llm_factory (numerics 1.0.0, linux/amd64) on a cold cache, after `factory prewarm --pool amd64`
/// against without. The engine's cache is shared and never emptied: each leg makes its cache cold for itself, with a
/// copy of the store whose deb-security (the bottom slot) is a version unique to the leg, so every layer above the base
/// is in no cache. Each leg is `factory run` of a one-item plan as a whole process, on a state directory of its own;
/// the prewarm's own time is reported beside. The legs alternate, the order swapping every round; the row is the
/// ratio of the medians of the first item's wall time, with prewarm ÷ without.
/// </summary>
public static class PrewarmFirstItem
{
    public const string Id = "prewarm_first_item";

    public sealed record Round(int Number, string RanFirst, double ColdSeconds, double PrewarmSeconds, double WarmSeconds, int CachedSteps, int Steps);

    public sealed record Result(int Rounds, IReadOnlyList<Round> Samples, double ColdMedianSeconds, double WarmMedianSeconds, double PrewarmMedianSeconds);

    public static async Task<Result> RunAsync(int rounds, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "factory_bench_prewarm_" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            Shell.Log("prewarm first item: a first warm leg, untimed (the CLI, the base images, the template's cache tag)");
            await LegAsync(root, "warmup", prewarm: true, ct);
            var samples = new List<Round>();
            for (var n = 1; n <= rounds; n++)
            {
                var coldFirst = n % 2 == 1;
                Leg? cold = null, warm = null;
                for (var leg = 0; leg < 2; leg++)
                {
                    if ((leg == 0) == coldFirst) cold = await LegAsync(root, $"cold-{n}", prewarm: false, ct);
                    else warm = await LegAsync(root, $"warm-{n}", prewarm: true, ct);
                }
                var round = new Round(n, coldFirst ? "without" : "with prewarm", cold!.ItemSeconds, warm!.PrewarmSeconds, warm.ItemSeconds, warm.CachedSteps, warm.Steps);
                Shell.Log($"prewarm first item: round {n}: without {round.ColdSeconds:0.00} s; with prewarm {round.WarmSeconds:0.00} s " +
                    $"(prewarm {round.PrewarmSeconds:0.00} s, {round.CachedSteps}/{round.Steps} of its steps cached)");
                samples.Add(round);
            }
            return new Result(rounds, samples, JobOverhead.Median(samples.Select(s => s.ColdSeconds)), JobOverhead.Median(samples.Select(s => s.WarmSeconds)),
                JobOverhead.Median(samples.Select(s => s.PrewarmSeconds)));
        }
        finally
        {
            await Shell.Quietly("delete prewarm temp dir", () => Task.Run(() => { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }));
        }
    }

    /// <summary>One leg: the first item's wall time, the prewarm's (0 without), and how many of the item's build steps were CACHED.</summary>
    private sealed record Leg(double ItemSeconds, double PrewarmSeconds, int CachedSteps, int Steps);

    private static async Task<Leg> LegAsync(string root, string name, bool prewarm, CancellationToken ct)
    {
        var store = Path.Combine(root, name, "manifests");
        var state = Path.Combine(root, name, "state");
        LocalFleet.CopyDirectory(RepoRoot.Manifests, store);
        var version = $"1.0.1-bench{Guid.NewGuid():N}"[..30];
        await MarkedModule.AddAsync(store, "deb-security", version, version, ct);
        var storeFile = Path.Combine(store, "store.yaml");
        await File.WriteAllTextAsync(storeFile, (await File.ReadAllTextAsync(storeFile, ct)).Replace("{deb-security: 1.0.0,", $"{{deb-security: {version},"), ct);
        await File.WriteAllTextAsync(Path.Combine(store, "plans", "bench_first_item.yaml"),
            "id: bench_first_item\nmanifest: llm_factory\nmatrix: {numerics: [1.0.0]}\nplatforms: [linux/amd64]\n", ct);

        var prewarmSeconds = 0.0;
        if (prewarm)
        {
            var clock = Stopwatch.StartNew();
            await JobOverhead.RunFactoryAsync(["prewarm", "--pool", "amd64", "--manifest-store", store, "--state", state, "--json"], ct);
            prewarmSeconds = clock.Elapsed.TotalSeconds;
        }
        var item = Stopwatch.StartNew();
        var run = await JobOverhead.RunFactoryAsync(["run", "bench_first_item", "--pools", "amd64", "--manifest-store", store, "--state", state, "--json"], ct);
        var itemSeconds = item.Elapsed.TotalSeconds;

        var built = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("items")[0];
        if (built.GetProperty("status").GetString() != "passed") throw new InvalidOperationException($"the first item did not pass:\n{run.Stdout}");
        var record = Directory.EnumerateFiles(Path.Combine(state, "records"), built.GetProperty("build_id").GetString() + ".json", SearchOption.AllDirectories).Single();
        var log = await BuildLogAsync(state, JsonDocument.Parse(await File.ReadAllTextAsync(record, ct)).RootElement, ct);
        var steps = log.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^#\d+ \[\d+/\d+\] (?!FROM )")).Select(l => l.Split(' ')[0]).ToHashSet();
        var cached = log.Split('\n').Count(l => l.EndsWith(" CACHED", StringComparison.Ordinal) && steps.Contains(l.Split(' ')[0]));
        return new Leg(itemSeconds, prewarmSeconds, cached, steps.Count);
    }

    private static async Task<string> BuildLogAsync(string state, JsonElement record, CancellationToken ct)
    {
        var uri = record.GetProperty("evidence").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "build_log").GetProperty("uri").GetString()!;
        var hex = uri["local:sha256/".Length..];
        return await File.ReadAllTextAsync(Path.Combine(state, "evidence", "sha256", hex[..2], hex), ct);
    }
}
