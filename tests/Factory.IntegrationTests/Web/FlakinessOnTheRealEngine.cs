using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Factory.IntegrationTests.Web;

/// <summary>
/// Issue 9's flakiness acceptance point on the real engine: a test made flaky on purpose, rerun against the same image
/// with `rerun: N` through `./factory run`, is shown as flaky with its rate by `./factory serve`; a test that fails
/// every time with the same inputs, in the same runs, is a stable failure (quarantined: its image failed its tests), not flaky.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class FlakinessOnTheRealEngine(ITestOutputHelper output) : IDisposable
{
    private const string Coin = "core=1.0.0,light=7.0.0,security=1.0.0";
    private const string Broken = "core=1.0.0,light=7.1.0,security=1.0.0";
    private const int Reruns = 16;
    private const int MaxAttemptsToPass = 20;

    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_test_that_flips_between_reruns_of_one_key_is_flaky_with_its_rate_and_a_stable_failure_is_not()
    {
        var clock = Stopwatch.StartNew();
        // Test containers run with --network none and nothing of a run reaches the next one, so no source inside a
        // container is deterministic per run: the coin is the parity of one byte of /dev/urandom (fails with p = 1/2,
        // independently per run). Reruns need a passing record of the key first; until then each run re-tests the
        // failed image. The test fails falsely only if the coin never comes up "pass" in 20 runs (2^-20), or comes up
        // "pass" the first time and then in all 16 reruns (2^-1 · 2^-16): below 1e-5 in all.
        _store.AddModule("light", "7.0.0", "RUN echo \"light 7.0.0\" > /etc/factory/light && echo 'exit $(( $(od -An -N1 -tu1 /dev/urandom) % 2 ))' > /etc/factory/coin\n");
        _store.AddModule("light", "7.1.0", "RUN echo \"light 7.1.0\" > /etc/factory/light && echo 'exit 1' > /etc/factory/coin\n");
        var suite = File.ReadAllText(Path.Combine(_store.Manifests, "tests", "smoke.yaml"));
        _store.Write("tests/smoke.yaml", suite + "  - name: coin\n    run: [sh, -c, \"test ! -f /etc/factory/coin || sh /etc/factory/coin\"]\n    expect: {exit_code: 0}\n    timeout: 30s\n");
        const string plan = "id: it_flaky\nmanifest: core_smoke\nmatrix: {light: [7.0.0, 7.1.0]}\nplatforms: [linux/amd64]\n";
        _store.Write("plans/it_flaky.yaml", plan);

        string? coinKey = null, brokenKey = null;
        for (var attempt = 1; attempt <= MaxAttemptsToPass && coinKey is null; attempt++)
        {
            var run = await FactoryCli.RunAsync(_store.Args("run", "it_flaky", "--json"));
            // light 7.1.0 fails every run, so the run as a whole does.
            Assert.True(run.ExitCode == 1, run.ToString());
            var items = run.Json.GetProperty("items").EnumerateArray().ToList();
            var broken = Light(items, "7.1.0").Single();
            Assert.Equal("failed", broken.GetProperty("status").GetString());
            brokenKey ??= broken.GetProperty("idempotency_key").GetString();
            Assert.Equal(brokenKey, broken.GetProperty("idempotency_key").GetString());
            var coin = Light(items, "7.0.0").Single();
            if (coin.GetProperty("status").GetString() == "passed") coinKey = coin.GetProperty("idempotency_key").GetString();
            output.WriteLine($"attempt {attempt}: coin {coin.GetProperty("status").GetString()} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        Assert.True(coinKey is not null, $"the coin never passed in {MaxAttemptsToPass} runs");

        _store.Write("plans/it_flaky.yaml", plan + $"rerun: {Reruns}\n");
        var reruns = await FactoryCli.RunAsync(_store.Args("run", "it_flaky", "--json"));
        Assert.True(reruns.ExitCode == 1, reruns.ToString());
        var rerunItems = reruns.Json.GetProperty("items").EnumerateArray().ToList();
        var coinReruns = Light(rerunItems, "7.0.0").ToList();
        Assert.Equal(Reruns, coinReruns.Count);
        Assert.All(coinReruns, i => Assert.Equal(coinKey, i.GetProperty("idempotency_key").GetString()));
        // A failing key is not rerun N times (it never passed): it is tested once more against its image.
        Assert.Equal(brokenKey, Light(rerunItems, "7.1.0").Single().GetProperty("idempotency_key").GetString());
        output.WriteLine($"{Reruns} reruns: {clock.Elapsed.TotalSeconds:F0} s");

        await using var ui = await ServedUi.StartAsync(_store);

        // The coin's records: one key, one suite, both outcomes. The rate is counted from them, not assumed.
        var coinHistory = await ui.GetJsonAsync($"api/records/{coinKey}/history");
        var coinRecords = coinHistory.GetProperty("records").EnumerateArray().ToList();
        Assert.All(coinRecords, r => Assert.Equal(coinKey, r.GetProperty("idempotency_key").GetString()));
        var (runs, failures) = (coinRecords.Count, coinRecords.Count(r => r.GetProperty("status").GetString() == "failed"));
        Assert.True(failures > 0 && failures < runs, $"the coin should both pass and fail: {failures} of {runs} failed");
        // Newest first: the reruns, then the run that first passed, then the runs that failed before it.
        var attempts = coinRecords.Skip(Reruns).Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["passed", .. Enumerable.Repeat("failed", attempts.Count - 1)], attempts);
        Assert.Equal([.. Enumerable.Repeat(true, runs - 1), false], coinRecords.Select(r => r.GetProperty("rerun").GetBoolean()));
        AssertFlakiness(coinHistory.GetProperty("flakiness"), flaky: true, runs, failures);

        var brokenHistory = await ui.GetJsonAsync($"api/records/{brokenKey}/history");
        var brokenRecords = brokenHistory.GetProperty("records").EnumerateArray().ToList();
        Assert.True(brokenRecords.Count >= 2, $"the stable failure should have been tested more than once: {brokenHistory}");
        Assert.All(brokenRecords, r => Assert.Equal(("failed", brokenKey), (r.GetProperty("status").GetString(), r.GetProperty("idempotency_key").GetString())));
        AssertFlakiness(brokenHistory.GetProperty("flakiness"), flaky: false, 0, 0);

        // The matrix: the coin's cell flaky with its rate, the stable failure failed.
        var rows = (await ui.GetJsonAsync("api/matrix/core_smoke")).GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("modules").GetString()!, r => r.GetProperty("cells").GetProperty("linux/amd64"));
        Assert.Equal([Coin, Broken], rows.Keys.Order());
        Assert.Equal("flaky", rows[Coin].GetProperty("state").GetString());
        AssertFlakiness(rows[Coin].GetProperty("flakiness"), flaky: true, runs, failures);
        // A test failure of a built image is quarantined (the image stays in factory-candidates/), not flaky.
        Assert.Equal(("quarantined", "failed", "test_failed"),
            (rows[Broken].GetProperty("state").GetString(), rows[Broken].GetProperty("status").GetString(), rows[Broken].GetProperty("reason").GetString()));
        AssertFlakiness(rows[Broken].GetProperty("flakiness"), flaky: false, 0, 0);

        var matrixPage = WebUtility.HtmlDecode(await ui.Http.GetStringAsync("matrix/core_smoke"));
        var coinRow = Row(matrixPage, Coin);
        Assert.Contains("data-state=\"flaky\"", coinRow);
        Assert.Contains($"of {runs} runs failed", coinRow);
        Assert.Contains("data-state=\"quarantined\"", Row(matrixPage, Broken));
        Assert.DoesNotContain("runs failed", Row(matrixPage, Broken));
        var steady = await ui.Http.GetStringAsync("matrix/core_smoke?hide_flaky=true");
        Assert.DoesNotContain($"data-modules=\"{Coin}\"", steady);
        Assert.Contains($"data-modules=\"{Broken}\"", steady);

        var cellPage = WebUtility.HtmlDecode(await ui.Http.GetStringAsync($"cell?manifest=core_smoke&platform=linux/amd64&modules={Uri.EscapeDataString(Coin)}"));
        Assert.Contains($"{failures} of {runs} runs of the same inputs failed", cellPage);
        output.WriteLine($"whole test: {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static void AssertFlakiness(JsonElement flakiness, bool flaky, int runs, int failures)
    {
        Assert.Equal((flaky, runs, failures),
            (flakiness.GetProperty("flaky").GetBoolean(), flakiness.GetProperty("runs").GetInt32(), flakiness.GetProperty("failures").GetInt32()));
        Assert.Equal(runs == 0 ? 0 : Math.Round((double)failures / runs, 4), flakiness.GetProperty("rate").GetDouble());
    }

    private static IEnumerable<JsonElement> Light(IEnumerable<JsonElement> items, string version) =>
        items.Where(i => i.GetProperty("modules").GetProperty("light").GetString() == version);

    private static string Row(string html, string modules)
    {
        var start = html.IndexOf($"<tr data-modules=\"{modules}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {modules} in\n{html}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }
}
