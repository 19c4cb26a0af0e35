using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Factory.Executor.Engine;
using Factory.Manifests;
using Factory.Testing;

namespace Factory.Bench;

/// <summary>
/// `factory plan render --json` of 103,823 combinations (3 slots × 47 versions, one platform) as a whole process,
/// against bench/baselines/plan_render.py (plain Python: the same product, one SHA-256 over a JSON text per item,
/// the same JSON printed) in the same run. A copy of manifests/ gets 47 versions of each core_smoke slot and a
/// plan over them; each program runs once to warm up (./factory builds the CLI if a source changed) and to check
/// that both print the same document but for the keys and the layout (Python's compact JSON is its fastest), then
/// both run alternately; each writes to a file.
/// </summary>
public static partial class PlanRender100k
{
    public const string Id = "plan_render_100k";
    private const int Versions = 47;
    private static readonly string[] Slots = ["security", "core", "light"];

    public sealed record Result(int Items, int Runs, double FactoryMedianSeconds, double PythonMedianSeconds,
        IReadOnlyList<double> FactorySeconds, IReadOnlyList<double> PythonSeconds, string LoadBefore, string LoadAfter);

    public static async Task<Result> RunAsync(int runs, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "factory_bench_render_" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var manifests = Path.Combine(root, "manifests");
            var versions = MakeStore(manifests);
            var store = ManifestStoreLoader.Load(manifests);
            var template = store.Templates[store.Entries["core_smoke"].Template];
            if (!template.Layers.SequenceEqual(Slots)) throw new InvalidOperationException($"core_smoke's template has layers {string.Join(", ", template.Layers)}, expected {string.Join(", ", Slots)}");

            // Above the default cap on a plan (100,000 combinations), so the CLI is told to accept it.
            string[] factory = ["env", "FACTORY_MAX_COMBINATIONS=1000000", Path.Combine(RepoRoot.Path, "factory"), "plan", "render", Id, "--json", "--manifest-store", manifests, "--state", Path.Combine(root, "state")];
            var factoryOut = Path.Combine(root, "factory.json");
            var pythonOut = Path.Combine(root, "python.json");
            var loadBefore = LoadAverage();
            Shell.Log($"{Id}: factory plan render --json of {Math.Pow(Versions, Slots.Length):0} combinations, warm-up (builds the CLI if a source changed)");
            await TimeAsync(factory, factoryOut, TimeSpan.FromMinutes(10), ct);
            var (baseDigest, suiteHash) = IdentityOf(factoryOut);
            string[] python =
            [
                "python3", Path.Combine(RepoRoot.Path, "bench/baselines/plan_render.py"), Id, "core_smoke", template.Id, template.Version, baseDigest, suiteHash, "linux/amd64",
                .. Slots.Select(slot => $"{slot}={string.Join(',', versions)}"),
            ];
            await TimeAsync(python, pythonOut, TimeSpan.FromMinutes(10), ct);
            var items = Compare(factoryOut, pythonOut);

            Shell.Log($"{Id}: {runs} runs of each, alternating");
            List<double> factorySeconds = [], pythonSeconds = [];
            for (var i = 0; i < runs; i++)
            {
                factorySeconds.Add(await TimeAsync(factory, factoryOut, TimeSpan.FromMinutes(5), ct));
                pythonSeconds.Add(await TimeAsync(python, pythonOut, TimeSpan.FromMinutes(5), ct));
            }
            return new Result(items, runs, Median(factorySeconds), Median(pythonSeconds), factorySeconds, pythonSeconds, loadBefore, LoadAverage());
        }
        finally
        {
            await Shell.Quietly("delete temp dir", () => Task.Run(() => { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }));
        }
    }

    /// <summary>A copy of manifests/ with versions 9.0.0 … 9.46.0 of each core_smoke slot and plan plan_render_100k over all of them.</summary>
    private static IReadOnlyList<string> MakeStore(string manifests)
    {
        LocalFleet.CopyDirectory(RepoRoot.Manifests, manifests);
        var versions = Enumerable.Range(0, Versions).Select(i => $"9.{i}.0").ToList();
        foreach (var slot in Slots)
            foreach (var version in versions)
            {
                var directory = Directory.CreateDirectory(Path.Combine(manifests, "modules", slot, version)).FullName;
                File.WriteAllText(Path.Combine(directory, "module.yaml"), $"name: {slot}\nversion: {version}\nowner: {{handle: \"@bench\", team: bench}}\ndescription: bench module\n");
                File.WriteAllText(Path.Combine(directory, "Dockerfile"), $"RUN echo \"{slot} {version}\" > /etc/factory/{slot}\n");
            }
        var matrix = string.Join("\n", Slots.Select(slot => $"  {slot}: [{string.Join(", ", versions)}]"));
        File.WriteAllText(Path.Combine(manifests, "plans", Id + ".yaml"), $"id: {Id}\nmanifest: core_smoke\nmatrix:\n{matrix}\nplatforms: [linux/amd64]\n");
        return versions;
    }

    /// <summary>Runs the program with its stdout into a file; the wall time from start to exit, in seconds.</summary>
    private static async Task<double> TimeAsync(string[] command, string output, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var run = await ProcessRunner.RunAsync("/bin/sh", ["-c", "out=$1; shift; exec \"$@\" > \"$out\"", "sh", output, .. command], null, timeout, ct, RepoRoot.Path);
        var seconds = clock.Elapsed.TotalSeconds;
        if (run.ExitCode != 0 || run.TimedOut)
            throw new InvalidOperationException($"{string.Join(' ', command)} exited {run.ExitCode}{(run.TimedOut ? " (timed out)" : "")}:\n{run.Stderr}");
        return seconds;
    }

    /// <summary>The base digest and test suite hash of the first item (they are the same in every item).</summary>
    private static (string BaseDigest, string SuiteHash) IdentityOf(string renderedJson)
    {
        var head = new char[8192];
        using (var reader = new StreamReader(renderedJson)) head = head[..reader.ReadBlock(head)];
        var text = new string(head);
        var digest = BaseDigest().Match(text);
        var hash = SuiteHash().Match(text);
        if (!digest.Success || !hash.Success) throw new InvalidOperationException($"no base_digest or test_suite_hash in the first item of {renderedJson}:\n{text[..Math.Min(text.Length, 1000)]}");
        return (digest.Groups[1].Value, hash.Groups[1].Value);
    }

    /// <summary>Both documents item by item: the same fields with the same values but for the keys (which hash another text); returns the item count.</summary>
    private static int Compare(string factoryJson, string pythonJson)
    {
        using var factory = JsonDocument.Parse(File.ReadAllBytes(factoryJson));
        using var python = JsonDocument.Parse(File.ReadAllBytes(pythonJson));
        if (!JsonElement.DeepEquals(factory.RootElement.GetProperty("plan_id"), python.RootElement.GetProperty("plan_id")))
            throw new InvalidOperationException("the plan ids differ");
        var (factoryItems, pythonItems) = (factory.RootElement.GetProperty("items"), python.RootElement.GetProperty("items"));
        if (factoryItems.GetArrayLength() != pythonItems.GetArrayLength())
            throw new InvalidOperationException($"factory rendered {factoryItems.GetArrayLength()} items, python {pythonItems.GetArrayLength()}");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (f, p, i) in factoryItems.EnumerateArray().Zip(pythonItems.EnumerateArray()).Select((pair, i) => (pair.First, pair.Second, i)))
        {
            var (fields, expected) = (f.EnumerateObject().ToList(), p.EnumerateObject().ToList());
            if (!fields.Select(x => x.Name).SequenceEqual(expected.Select(x => x.Name)))
                throw new InvalidOperationException($"item {i} has fields {string.Join(", ", fields.Select(x => x.Name))}, python's {string.Join(", ", expected.Select(x => x.Name))}");
            foreach (var (field, other) in fields.Zip(expected))
                if (field.Name == "idempotency_key") { if (!keys.Add(field.Value.GetString()!)) throw new InvalidOperationException($"item {i}: factory printed the key {field.Value} twice"); }
                else if (!JsonElement.DeepEquals(field.Value, other.Value)) throw new InvalidOperationException($"item {i}: {field.Name} is {field.Value}, python's {other.Value}");
        }
        var count = (int)Math.Pow(Versions, Slots.Length);
        if (keys.Count != count) throw new InvalidOperationException($"{keys.Count} items rendered, expected {count}");
        return count;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The 1, 5 and 15 minute load averages: the machine may be shared, and this says how busy it was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [GeneratedRegex("\"base_digest\": \"(sha256:[0-9a-f]{64})\"")]
    private static partial Regex BaseDigest();

    [GeneratedRegex("\"test_suite_hash\": \"([0-9a-f]{64})\"")]
    private static partial Regex SuiteHash();
}
