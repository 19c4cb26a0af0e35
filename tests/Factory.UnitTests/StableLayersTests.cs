using System.Security.Cryptography;
using System.Text;
using Factory.Contracts.Messages;
using Factory.Executor.Prewarm;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>StableLayers: which slots of a plan are stable, their key, and the cache refs an item names.</summary>
public sealed class StableLayersTests
{
    private static ModuleSelection Module(string slot, string version, char digest = '1') =>
        new() { Slot = slot, Name = slot, Version = version, ContentDigest = "sha256:" + new string(digest, 64) };

    private static WorkItem Item(string key, string platform, params ModuleSelection[] modules) =>
        WorkItems.Make(key) with { Platform = platform, Pool = platform == "linux/arm64" ? "arm64" : "amd64", TemplateId = "llm", ManifestId = "llm_factory", Modules = modules };

    private static WorkItem Llm(string key, string numerics, string platform = "linux/amd64") =>
        Item(key, platform, Module("deb-security", "1.0.0"), Module("python", "1.0.0"), Module("numerics", numerics));

    [Fact]
    public void A_plan_that_varies_its_top_slot_has_every_slot_below_it_stable()
    {
        var targets = StableLayers.Of([[Llm("k1", "1.0.0"), Llm("k2", "1.1.0")]]);

        var target = Assert.Single(targets);
        Assert.Equal(["deb-security", "python"], target.Modules.Select(m => m.Slot));
        Assert.Equal(StableLayers.KeyOf(Llm("k1", "1.0.0"), 2), target.IdempotencyKey);
        Assert.Empty(target.Tests);
        Assert.Equal("prewarm", target.PlanId);
    }

    [Fact]
    public void Layers_stop_below_the_first_slot_the_plan_varies()
    {
        var items = new[] { "1.0.0", "2.0.0" }.Select(v => Item("k" + v, "linux/amd64", Module("security", "1.0.0"), Module("core", v), Module("light", "1.0.0"))).ToList();

        var target = Assert.Single(StableLayers.Of([items]));

        Assert.Equal(["security"], target.Modules.Select(m => m.Slot));
    }

    [Fact]
    public void A_plan_that_varies_its_bottom_slot_has_no_stable_layers()
    {
        var items = new[] { "1.0.0", "1.1.0" }.Select(v => Item("k" + v, "linux/amd64", Module("security", v), Module("core", "1.0.0"))).ToList();

        Assert.Empty(StableLayers.Of([items]));
    }

    [Fact]
    public void A_changed_module_content_under_the_same_version_is_a_varied_slot()
    {
        var items = new[] { '1', '2' }.Select(d => Item("k" + d, "linux/amd64", Module("security", "1.0.0", d), Module("core", "1.0.0"), Module("light", "1.0.0"))).ToList();

        Assert.Empty(StableLayers.Of([items]));
    }

    [Fact]
    public void A_plan_of_one_combination_leaves_its_top_slot_out()
    {
        var target = Assert.Single(StableLayers.Of([[Llm("k1", "1.0.0")]]));

        Assert.Equal(["deb-security", "python"], target.Modules.Select(m => m.Slot));
    }

    [Fact]
    public void Plans_with_the_same_stable_layers_build_them_once_and_each_platform_has_its_own()
    {
        var amd64 = new List<WorkItem> { Llm("k1", "1.0.0"), Llm("k2", "1.1.0") };
        var asItStands = new List<WorkItem> { Llm("k1", "1.0.0") };
        var arm64 = new List<WorkItem> { Llm("k3", "1.0.0", "linux/arm64"), Llm("k4", "1.1.0", "linux/arm64") };

        var targets = StableLayers.Of([amd64, asItStands, arm64]);

        Assert.Equal(["linux/amd64", "linux/arm64"], targets.Select(t => t.Platform).Order());
        Assert.NotEqual(targets[0].IdempotencyKey, targets[1].IdempotencyKey);
    }

    [Fact]
    public void The_key_covers_only_the_slots_it_is_asked_for_and_is_the_documented_canonical_text()
    {
        var item = Llm("k1", "1.0.0");
        var text = "factory stable layers v1\n" +
            $"base {item.BaseDigest}\nplatform linux/amd64\naccelerator \n" +
            $"slot deb-security deb-security 1.0.0 sha256:{new string('1', 64)}\n" +
            $"slot python python 1.0.0 sha256:{new string('1', 64)}\n";

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), StableLayers.KeyOf(item, 2));
        Assert.Equal(StableLayers.KeyOf(item, 2), StableLayers.KeyOf(Llm("k2", "1.1.0"), 2));
        Assert.NotEqual(StableLayers.KeyOf(item, 2), StableLayers.KeyOf(item with { Platform = "linux/arm64" }, 2));
        Assert.NotEqual(StableLayers.KeyOf(item, 2), StableLayers.KeyOf(item, 1));
    }

    [Fact]
    public void An_item_names_the_cache_ref_of_every_run_of_slots_below_its_top_one_longest_first()
    {
        var item = Llm("k1", "1.1.0");

        var tags = StableLayers.CacheTagsFor(item, "127.0.0.1:5000");

        Assert.Equal([StableLayers.CacheTagFor(item, 2, "127.0.0.1:5000"), StableLayers.CacheTagFor(item, 1, "127.0.0.1:5000")], tags);
        Assert.StartsWith("127.0.0.1:5000/factory-cache/llm:stable-", tags[0]);
        Assert.Contains(StableLayers.CacheTagFor(item, 2, "127.0.0.1:5000"),
            StableLayers.Of([[Llm("k1", "1.0.0"), item]]).Select(t => StableLayers.CacheTagFor(t, t.Modules.Count, "127.0.0.1:5000")));
        Assert.Empty(StableLayers.CacheTagsFor(item with { Modules = [item.Modules[0]] }, "127.0.0.1:5000"));
    }
}
