using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Factory.IntegrationTests.Web;

/// <summary>
/// Issue 9's first acceptance point on the real engine and registry: the README's demo plan (llm_factory) run with
/// `./factory run`, then again with one changed module version (numerics 1.0.0 → 1.1.0), and reviewed through
/// `./factory serve`: the matrix, the compare view and why the new record was built. One platform (linux/amd64)
/// keeps it short; unchanged layers come from the BuildKit cache.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ReviewingTheDemo(Chromium chromium, ITestOutputHelper output) : IClassFixture<Chromium>, IDisposable
{
    private const string NumericsOld = "deb-security=1.0.0,numerics=1.0.0,python=1.0.0";
    private const string NumericsNew = "deb-security=1.0.0,numerics=1.1.0,python=1.0.0";

    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task After_the_demo_plan_and_a_changed_numerics_version_the_matrix_compare_and_record_explain_the_change()
    {
        var clock = Stopwatch.StartNew();
        // The shipped demo plan on linux/amd64 only: first as it stood before numerics 1.1.0, then as it ships.
        var shipped = File.ReadAllText(Path.Combine(_store.Manifests, "plans", "llm_factory.yaml"));
        var amd64 = Replace(shipped, "platforms: [linux/amd64, linux/arm64]", "platforms: [linux/amd64]");
        _store.Write("plans/llm_factory.yaml", Replace(amd64, "numerics: [1.0.0, 1.1.0]", "numerics: [1.0.0]"));
        var first = await FactoryCli.RunAsync(_store.Args("run", "llm_factory", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstItem = Assert.Single(first.Json.GetProperty("items").EnumerateArray());
        Assert.Equal("passed", firstItem.GetProperty("status").GetString());
        output.WriteLine($"demo plan (numerics 1.0.0): {clock.Elapsed.TotalSeconds:F0} s");
        // Between the two runs: the matrix as it stood here is the compare view's "before".
        await Task.Delay(1000);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(1000);

        _store.Write("plans/llm_factory.yaml", amd64);
        var second = await FactoryCli.RunAsync(_store.Args("run", "llm_factory", "--json"));
        Assert.True(second.ExitCode == 0, second.ToString());
        var items = second.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("reused", Numerics(items, "1.0.0").GetProperty("status").GetString());
        var changed = Numerics(items, "1.1.0");
        Assert.Equal("passed", changed.GetProperty("status").GetString());
        Assert.Contains(changed.GetProperty("tests").EnumerateArray(), t => t.GetProperty("name").GetString() == "attention-check-if-shipped" && t.GetProperty("status").GetString() == "passed");
        var key = changed.GetProperty("idempotency_key").GetString()!;
        output.WriteLine($"with numerics 1.1.0: {clock.Elapsed.TotalSeconds:F0} s");

        await using var ui = await ServedUi.StartAsync(_store);

        // The matrix: one row per numerics version, both passed on linux/amd64.
        var matrix = await ui.GetJsonAsync("api/matrix/llm_factory");
        var rows = matrix.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([NumericsOld, NumericsNew], rows.Select(r => r.GetProperty("modules").GetString()));
        Assert.All(rows, r => Assert.Equal("passed", r.GetProperty("cells").GetProperty("linux/amd64").GetProperty("state").GetString()));
        var matrixPage = await ui.Http.GetStringAsync("matrix/llm_factory");
        Assert.Contains($"<tr data-modules=\"{NumericsOld}\">", matrixPage);
        Assert.Contains($"<tr data-modules=\"{NumericsNew}\">", matrixPage);

        // Compare against the matrix before the change. numerics 1.1.0 had no result at all before, so its cell is
        // New: "newly passing" is for a cell that failed before and passes now, and numerics 1.0.0 did not change.
        var comparison = await ui.GetJsonAsync($"api/compare?manifest=llm_factory&before={Uri.EscapeDataString(between.ToString("O"))}");
        var added = Assert.Single(comparison.GetProperty("new").EnumerateArray());
        Assert.Equal((NumericsNew, "linux/amd64"), (added.GetProperty("modules").GetString(), added.GetProperty("platform").GetString()));
        Assert.Equal("passed", added.GetProperty("after").GetProperty("status").GetString());
        foreach (var tab in new[] { "newly_failing", "newly_passing", "still_failing", "removed" })
            Assert.True(comparison.GetProperty(tab).GetArrayLength() == 0, $"{tab} should be empty: {comparison}");
        // The page, by default against the manifest's previous plan run (the first run above), on the New tab.
        var comparePage = await ui.Http.GetStringAsync("compare/llm_factory?tab=new");
        var newTab = Section(comparePage, "<table class=\"compared\" data-tab=\"new\">", "</table>");
        Assert.Contains(NumericsNew, newTab);
        Assert.DoesNotContain(NumericsOld, newTab);
        Assert.Contains("data-tab=\"newly_passing\">Newly passing (0)", comparePage);

        // Why built: the new record against the nearest earlier record of llm_factory on linux/amd64.
        const string because = "rebuilt because module numerics 1.0.0 → 1.1.0";
        var why = await ui.GetJsonAsync($"api/records/{key[..12]}/why");
        Assert.Equal(("rebuilt", because), (why.GetProperty("why_built").GetProperty("verdict").GetString(), why.GetProperty("why_built").GetProperty("text").GetString()));
        var recordPage = WebUtility.HtmlDecode(await ui.Http.GetStringAsync($"records/{key}"));
        Assert.Contains(because, Section(recordPage, "id=\"why-built\"", "</p>"));
        var cli = await FactoryCli.RunAsync(_store.StateArgs("records", "why", key[..12]));
        Assert.True(cli.ExitCode == 0 && cli.Stdout.StartsWith(because, StringComparison.Ordinal), cli.ToString());

        var page = await chromium.NewPageAsync();
        await page.GotoAsync($"{ui.Url}/matrix/llm_factory");
        Assert.Equal(2, await page.Locator("td.cell[data-state=passed]").CountAsync());
        await Chromium.ScreenshotAsync(page, "demo-matrix");
        output.WriteLine($"whole test: {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static JsonElement Numerics(IEnumerable<JsonElement> items, string version) =>
        items.Single(i => i.GetProperty("modules").GetProperty("numerics").GetString() == version);

    private static string Replace(string text, string from, string to)
    {
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"the shipped demo plan no longer has '{from}':\n{text}");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    /// <summary>The part of a page from a marker to the next end marker after it.</summary>
    private static string Section(string html, string start, string end)
    {
        var at = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no '{start}' in\n{html}");
        var stop = html.IndexOf(end, at, StringComparison.Ordinal);
        return stop < 0 ? html[at..] : html[at..stop];
    }
}
