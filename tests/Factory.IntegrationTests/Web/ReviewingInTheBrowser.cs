using System.Diagnostics;
using System.Text.RegularExpressions;
using Factory.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Factory.IntegrationTests.Web;

/// <summary>
/// A reviewer in real Chromium against `./factory serve`, over records that `./factory run` made on the real engine
/// and registry. Screenshots of every step are kept under TestResults/screenshots.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed partial class ReviewingInTheBrowser(Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_reviewer_goes_from_the_matrix_to_a_cells_history_to_its_record_to_its_log()
    {
        // light 1.0.0 first, then both: light 1.1.0 is built later, against the record of 1.0.0.
        _store.Write("plans/ui_nav.yaml", "id: ui_nav\nmanifest: core_smoke\nmatrix: {light: [1.0.0]}\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "ui_nav", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        _store.Write("plans/ui_nav.yaml", "id: ui_nav\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.1.0]}\nplatforms: [linux/amd64]\n");
        var second = await FactoryCli.RunAsync(_store.Args("run", "ui_nav", "--json"));
        Assert.True(second.ExitCode == 0, second.ToString());
        await using var ui = await ServedUi.StartAsync(_store);
        var page = await chromium.NewPageAsync();

        await page.GotoAsync($"{ui.Url}/matrix/core_smoke");
        var rows = page.Locator("table.matrix tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal(["1.0.0", "1.1.0"], await page.Locator("table.matrix tbody tr td:nth-child(2)").AllInnerTextsAsync());
        Assert.Equal(2, await page.Locator("td.cell[data-state=passed]").CountAsync());
        var matrixShot = await Chromium.ScreenshotAsync(page, "matrix");
        KeepForReadme(matrixShot);

        await page.Locator("tr[data-modules='core=1.0.0,light=1.1.0,security=1.0.0'] td.cell a.history").ClickAsync();
        // Expect(...).ToHaveURLAsync polls; WaitForURLAsync can miss the load event it waits for
        // (microsoft/playwright-dotnet#3364) and failed CI that way.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/cell\\?"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("History");
        Assert.Contains("Not flaky", await page.Locator("#flake-rate").InnerTextAsync());
        Assert.Equal(1, await page.Locator("table.history tbody tr").CountAsync());
        await Chromium.ScreenshotAsync(page, "cell-history");

        await page.Locator("table.history a.record").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/records/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("table.modules")).ToBeVisibleAsync();
        var modules = await page.Locator("table.modules").InnerTextAsync();
        Assert.Contains("@light-team", modules);
        Assert.Matches("sha256:[0-9a-f]{64}", modules);
        Assert.Contains("rebuilt because module light 1.0.0 → 1.1.0", await page.Locator("#why-built").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "record");

        // The log is not in the page until it is opened; then its tail comes.
        var log = page.Locator("details.log").First;
        Assert.Equal("loading…", await log.Locator("pre").TextContentAsync());
        await log.Locator("summary").ClickAsync();
        await Assertions.Expect(log.Locator("pre")).Not.ToHaveTextAsync("loading…");
        Assert.Contains("light 1.1.0", await log.Locator("pre").TextContentAsync());

        var verify = page.Locator("details.verify");
        await verify.Locator("summary").ClickAsync();
        await Assertions.Expect(verify.Locator("#verdict")).ToContainTextAsync("verified:");
        await Chromium.ScreenshotAsync(page, "record-log-verified");
    }

    [Fact]
    public async Task The_plan_page_follows_a_running_plan_without_a_reload()
    {
        // Fresh module versions so that every item builds, each taking a few seconds.
        var tag = Guid.NewGuid().ToString("N")[..6];
        var versions = new[] { $"5.0.{Convert.ToInt32(tag[..2], 16)}", $"5.1.{Convert.ToInt32(tag[2..4], 16)}" };
        foreach (var version in versions) _store.AddModule("light", version, $"RUN echo \"light {version} {tag}\" > /etc/factory/light && sleep 4\n");
        _store.Write("plans/ui_live.yaml", $"id: ui_live\nmanifest: core_smoke\nmatrix: {{light: [{string.Join(", ", versions)}]}}\nplatforms: [linux/amd64]\nconcurrency: 1\n");
        await using var ui = await ServedUi.StartAsync(_store);

        var running = FactoryCli.RunAsync(_store.Args("run", "ui_live", "--json"));
        var planUrl = await WaitForPlanAsync(ui, running);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(ui.Url + planUrl);
        Assert.Equal("running", await page.Locator("#plan-status").InnerTextAsync());
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        await Chromium.ScreenshotAsync(page, "plan-running");

        await page.WaitForFunctionAsync("() => document.getElementById('plan-status').textContent === 'completed'", null,
            new PageWaitForFunctionOptions { Timeout = 300_000 });
        var result = await running;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded instead of updated");
        Assert.True(int.Parse((await page.Locator("#live").GetAttributeAsync("data-updates"))!) >= 1);
        Assert.Equal("2", await page.Locator("#count-passed").InnerTextAsync());
        Assert.Equal("0", await page.Locator("#count-running").InnerTextAsync());
        Assert.Equal(2, await page.Locator("tr[data-key] td.status .s-passed").CountAsync());
        Assert.Equal(2, await page.Locator("tr[data-key] td.status a[href^='/records/']").CountAsync());
        await Chromium.ScreenshotAsync(page, "plan-completed");
    }

    [Fact]
    public async Task Compare_lists_a_newly_failing_cell_after_the_suite_changed_and_a_new_failing_cell_after_a_module_change()
    {
        _store.AddModule("light", "9.0.0", "RUN echo \"heavy\" > /etc/factory/light\n");
        _store.Write("plans/ui_cmp.yaml", "id: ui_cmp\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.1.0]}\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "ui_cmp", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        await using var ui = await ServedUi.StartAsync(_store);
        var before = await WaitForPlanAsync(ui, null);

        // light 1.0.0 has no greet script: once the suite asks for it, that cell fails with the same image.
        var suite = File.ReadAllText(Path.Combine(_store.Manifests, "tests", "smoke.yaml"));
        _store.Write("tests/smoke.yaml", suite + "  - name: greets\n    run: [greet]\n    expect: {stdout: hello from light}\n    timeout: 30s\n");
        _store.Write("plans/ui_cmp.yaml", "id: ui_cmp\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.1.0, 9.0.0]}\nplatforms: [linux/amd64]\n");
        var second = await FactoryCli.RunAsync(_store.Args("run", "ui_cmp", "--json"));
        Assert.True(second.ExitCode == 1, second.ToString());

        var page = await chromium.NewPageAsync();
        await page.GotoAsync($"{ui.Url}/compare/core_smoke?before={before.Split('/')[^1]}");
        var failing = page.Locator("table.compared[data-tab=newly_failing] tbody tr");
        Assert.Equal(1, await failing.CountAsync());
        Assert.Contains("light=1.0.0", await failing.InnerTextAsync());
        Assert.Contains("test suite", await failing.InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "compare-newly-failing");

        await page.Locator("nav.tabs a[data-tab=new]").ClickAsync();
        var added = page.Locator("table.compared[data-tab=new] tbody tr");
        Assert.Equal(1, await added.CountAsync());
        Assert.Contains("light=9.0.0", await added.InnerTextAsync());
        Assert.Contains("failed", await added.InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "compare-new");

        // The matrix shows every version the manifest was built with.
        await page.GotoAsync($"{ui.Url}/matrix/core_smoke");
        Assert.Equal(["1.0.0", "1.1.0", "9.0.0"], await page.Locator("table.matrix tbody tr td:nth-child(2)").AllInnerTextsAsync());
    }

    /// <summary>The newest plan's page link, once the serving process sees the plan (`run` writes it to the shared state).</summary>
    private static async Task<string> WaitForPlanAsync(ServedUi ui, Task<CliResult>? running)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (running is { IsCompleted: true }) Assert.Fail($"the plan finished before its page was opened:\n{await running}");
            var match = PlanLink().Match(await ui.Http.GetStringAsync("plans"));
            if (match.Success) return match.Value;
            await Task.Delay(200);
        }
        throw new TimeoutException($"no plan showed up on {ui.Url}/plans\n{ui}");
    }

    /// <summary>FACTORY_UPDATE_README_SCREENSHOT=1 copies the matrix screenshot to docs/ for the README.</summary>
    private static void KeepForReadme(string screenshot)
    {
        if (Environment.GetEnvironmentVariable("FACTORY_UPDATE_README_SCREENSHOT") != "1") return;
        var target = Path.Combine(RepoRoot.Path, "docs", "images", "matrix.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(screenshot, target, overwrite: true);
    }

    [GeneratedRegex("/plans/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex PlanLink();
}
