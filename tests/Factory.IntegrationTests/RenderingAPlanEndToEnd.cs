using System.Text.Json;
using Factory.Contracts.Messages;
using Factory.IntegrationTests.Infrastructure;
using Factory.Records;
using Factory.UnitTests.Support;

namespace Factory.IntegrationTests;

/// <summary>`./factory plan render` against the real registry: plans without axes, --manifest, and plan-scoped immutability.</summary>
public sealed class RenderingAPlanEndToEnd : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    private static List<JsonElement> Items(CliResult render) => render.Json.GetProperty("items").EnumerateArray().ToList();

    private static string Describe(JsonElement item) =>
        string.Join(" ", item.GetProperty("modules").EnumerateObject().Select(m => $"{m.Name}={m.Value.GetString()}")) + " " + item.GetProperty("platform").GetString();

    [Fact]
    public async Task A_manifest_id_renders_the_manifest_as_it_stands_on_its_platforms_with_the_keys_a_plan_gives_it()
    {
        var render = await FactoryCli.RunAsync(_store.Args("plan", "render", "--manifest", "core_smoke", "--json"));
        Assert.True(render.ExitCode == 0, render.ToString());
        Assert.Equal("core_smoke", render.Json.GetProperty("plan_id").GetString());
        var items = Items(render);
        Assert.Equal(["security=1.0.0 core=1.0.0 light=1.0.0 linux/amd64", "security=1.0.0 core=1.0.0 light=1.0.0 linux/arm64"], items.Select(Describe));
        Assert.All(items, i => Assert.Matches("^sha256:[0-9a-f]{64}$", i.GetProperty("base_digest").GetString()));

        // The shipped core_smoke plan has these two combinations among its own: same combination, same key.
        var plan = await FactoryCli.RunAsync(_store.Args("plan", "render", "core_smoke", "--json"));
        Assert.True(plan.ExitCode == 0, plan.ToString());
        var planKeys = Items(plan).ToDictionary(Describe, i => i.GetProperty("idempotency_key").GetString());
        Assert.All(items, i => Assert.Equal(planKeys[Describe(i)], i.GetProperty("idempotency_key").GetString()));

        // A plan file without a matrix is the same plan.
        _store.Write("plans/as_is.yaml", "id: as_is\nmanifest: core_smoke\n");
        var asIs = await FactoryCli.RunAsync(_store.Args("plan", "render", "as_is", "--json"));
        Assert.True(asIs.ExitCode == 0, asIs.ToString());
        Assert.Equal(items.Select(i => i.GetProperty("idempotency_key").GetString()), Items(asIs).Select(i => i.GetProperty("idempotency_key").GetString()));
    }

    [Theory]
    [InlineData(new[] { "core_smoke", "--manifest", "core_smoke" }, "error: --manifest: cannot be given together with PLAN (core_smoke)")]
    [InlineData(new string[0], "error: PLAN: is required: give a plan file or a plan id, or --manifest ID")]
    [InlineData(new[] { "--manifest", "nosuch" }, "error: --manifest: manifest 'nosuch' is not in ")]
    public async Task A_plan_and_a_manifest_together_neither_or_an_unknown_manifest_exit_2(string[] args, string message)
    {
        var render = await FactoryCli.RunAsync(_store.Args(["plan", "render", .. args, "--json"]));
        Assert.True(render.ExitCode == 2, render.ToString());
        Assert.Contains(message, render.Stderr);
        Assert.Equal("", render.Stdout);
    }

    [Fact]
    public async Task A_large_matrix_renders_every_combination_once_as_one_json_document()
    {
        var versions = Enumerable.Range(0, 12).Select(i => $"3.{i}.0").ToList();
        foreach (var slot in new[] { "security", "core", "light" })
            foreach (var version in versions)
                _store.AddModule(slot, version, $"RUN echo \"{slot} {version}\" > /etc/factory/{slot}\n");
        var list = string.Join(", ", versions);
        _store.Write("plans/large.yaml", $"id: large\nmanifest: core_smoke\nmatrix: {{security: [{list}], core: [{list}], light: [{list}]}}\n");

        var render = await FactoryCli.RunAsync(_store.Args("plan", "render", "large", "--json"));
        Assert.True(render.ExitCode == 0, render.ToString());
        var items = Items(render);
        Assert.Equal(12 * 12 * 12 * 2, items.Count);
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("idempotency_key").GetString()).Distinct().Count());
        Assert.Equal(items.Count, items.Select(Describe).Distinct().Count());
        Assert.Equal("security=3.11.0 core=3.11.0 light=3.11.0 linux/arm64", Describe(items[^1]));
    }

    [Fact]
    public async Task A_changed_released_module_blocks_only_the_plans_that_use_it()
    {
        var records = new SqliteCompatibilityRecordStore(_store.State);
        var released = new ModuleSelection { Slot = "light", Name = "light", Version = "1.0.0", ContentDigest = "sha256:" + new string('0', 64) };
        Assert.True(await records.SaveAsync(SampleRecords.Make(manifest: "core_smoke", modules: [released]), CancellationToken.None));

        _store.Write("plans/newer.yaml", "id: newer\nmanifest: core_smoke\nmatrix: {light: [1.1.0]}\n");
        var newer = await FactoryCli.RunAsync(_store.Args("plan", "render", "newer", "--json"));
        Assert.True(newer.ExitCode == 0, newer.ToString());

        var asIs = await FactoryCli.RunAsync(_store.Args("plan", "render", "--manifest", "core_smoke", "--json"));
        Assert.True(asIs.ExitCode == 2, asIs.ToString());
        Assert.Contains("modules/light/1.0.0: module light 1.0.0 was released with content sha256:" + new string('0', 64), asIs.Stderr);
        Assert.Equal("", asIs.Stdout);
    }
}
