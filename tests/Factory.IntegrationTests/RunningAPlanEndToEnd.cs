using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>`./factory run --json` on the real engine and registry, as a plan author would use it.</summary>
[Collection(DockerCollection.Name)]
public sealed class RunningAPlanEndToEnd : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_core_smoke_plan_builds_every_combination_on_both_platforms_then_reuses_all_of_them()
    {
        var first = await FactoryCli.RunAsync(_store.Args("run", "core_smoke", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var report = first.Json;
        Assert.Equal("core_smoke", report.GetProperty("plan_id").GetString());
        var items = report.GetProperty("items").EnumerateArray().ToList();
        Assert.True(items.Count >= 4);
        Assert.Equal(new[] { "linux/amd64", "linux/arm64" }, items.Select(i => i.GetProperty("platform").GetString()!).Distinct().Order().ToArray());
        Assert.All(items, i => Assert.Equal("passed", i.GetProperty("status").GetString()));
        Assert.All(items, i => Assert.Matches("^127.0.0.1:5000/factory/core_smoke@sha256:[0-9a-f]{64}$", i.GetProperty("image").GetString()));
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("idempotency_key").GetString()).Distinct().Count());
        Assert.Equal(Summary(items.Count, built: items.Count, reused: 0, passed: items.Count, failed: 0), Summary(report));

        // An arm64 image really is arm64: its arch test ran and passed inside it.
        var arm = items.First(i => i.GetProperty("platform").GetString() == "linux/arm64");
        Assert.Contains(arm.GetProperty("tests").EnumerateArray(), t => t.GetProperty("name").GetString() == "arch-is-arm64" && t.GetProperty("status").GetString() == "passed");

        var second = await FactoryCli.RunAsync(_store.Args("run", "core_smoke", "--json"));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(Summary(items.Count, built: 0, reused: items.Count, passed: 0, failed: 0), Summary(second.Json));
        Assert.All(second.Json.GetProperty("items").EnumerateArray(), i => Assert.Equal("reused", i.GetProperty("status").GetString()));
        Assert.Equal(items.Count, CliRecords.Count(_store));
    }

    [Fact]
    public async Task Changing_one_module_version_reruns_only_the_combinations_that_use_it()
    {
        _store.AddModule("light", "1.2.0", "RUN echo \"light 1.2.0\" > /etc/factory/light\n");
        _store.Write("plans/it_reuse.yaml", "id: it_reuse\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.1.0]}\nplatforms: [linux/amd64]\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "it_reuse", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());

        _store.Write("plans/it_reuse.yaml", "id: it_reuse\nmanifest: core_smoke\nmatrix: {light: [1.0.0, 1.2.0]}\nplatforms: [linux/amd64]\n");
        var second = await FactoryCli.RunAsync(_store.Args("run", "it_reuse", "--json"));
        Assert.True(second.ExitCode == 0, second.ToString());
        var items = second.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("reused", items.Single(i => i.GetProperty("modules").GetProperty("light").GetString() == "1.0.0").GetProperty("status").GetString());
        Assert.Equal("passed", items.Single(i => i.GetProperty("modules").GetProperty("light").GetString() == "1.2.0").GetProperty("status").GetString());
        Assert.Equal(Summary(2, built: 1, reused: 1, passed: 1, failed: 0), Summary(second.Json));
    }

    [Fact]
    public async Task Changing_the_test_suite_reruns_the_tests_against_the_pushed_image_without_a_rebuild()
    {
        _store.Write("plans/it_suite.yaml", "id: it_suite\nmanifest: core_smoke\nmatrix: {light: [1.1.0]}\n");
        var first = await FactoryCli.RunAsync(_store.Args("run", "it_suite", "--json"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var images = first.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("image").GetString()).ToList();

        var suite = File.ReadAllText(Path.Combine(_store.Manifests, "tests", "smoke.yaml"));
        _store.Write("tests/smoke.yaml", suite + "  - name: greets\n    run: [greet]\n    expect: {stdout: hello from light}\n    timeout: 30s\n");
        var second = await FactoryCli.RunAsync(_store.Args("run", "it_suite", "--json"));
        Assert.True(second.ExitCode == 0, second.ToString());
        var items = second.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Summary(2, built: 0, reused: 0, passed: 2, failed: 0), Summary(second.Json));
        Assert.Equal(images, items.Select(i => i.GetProperty("image").GetString()).ToList());
        Assert.All(items, i => Assert.Contains(i.GetProperty("tests").EnumerateArray(), t => t.GetProperty("name").GetString() == "greets" && t.GetProperty("status").GetString() == "passed"));
    }

    private static string Summary(JsonElement report)
    {
        var s = report.GetProperty("summary");
        return Summary(s.GetProperty("total").GetInt32(), s.GetProperty("built").GetInt32(), s.GetProperty("reused").GetInt32(), s.GetProperty("passed").GetInt32(), s.GetProperty("failed").GetInt32());
    }

    private static string Summary(int total, int built, int reused, int passed, int failed) =>
        $"total={total} built={built} reused={reused} passed={passed} failed={failed}";
}
