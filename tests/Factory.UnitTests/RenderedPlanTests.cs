using System.Text;
using System.Text.Json;
using Factory.Cli.Output;
using Factory.Contracts;
using Factory.Contracts.Messages;

namespace Factory.UnitTests;

/// <summary>RenderedPlan: `plan render` streams what it used to serialize as one document, byte for byte.</summary>
public sealed class RenderedPlanTests
{
    private static WorkItem Item(string key, string platform, string pool, params (string Slot, string Version)[] modules) => new()
    {
        IdempotencyKey = key, PlanId = "p", ManifestId = "app", TemplateId = "base", TemplateVersion = "1.0.0",
        BaseImage = "127.0.0.1:5000/base/busybox@sha256:" + new string('b', 64), BaseDigest = "sha256:" + new string('b', 64),
        Platform = platform, Pool = pool, TestSuiteId = "basic", TestSuiteHash = new string('c', 64), Tests = [],
        Modules = modules.Select(m => new ModuleSelection { Slot = m.Slot, Name = m.Slot, Version = m.Version, ContentDigest = "sha256:" + new string('d', 64) }).ToList(),
    };

    private static readonly WorkItem[] Items =
    [
        Item(new string('1', 64), "linux/amd64", "amd64", ("alpha", "1.0.0"), ("beta", "1.0.0")),
        Item(new string('2', 64), "linux/arm64", "arm64", ("alpha", "1.1.0-rc.1+<b&'>"), ("beta", "1.0.0")),
    ];

    private static string Written(Action<Stream> write)
    {
        using var output = new MemoryStream();
        write(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void The_json_is_what_the_serializer_makes_of_the_same_document_plus_a_newline()
    {
        var document = new
        {
            plan_id = "p",
            items = Items.Select(i => new
            {
                idempotency_key = i.IdempotencyKey, manifest_id = i.ManifestId, platform = i.Platform, pool = i.Pool,
                modules = i.Modules.ToDictionary(m => m.Slot, m => m.Version), base_digest = i.BaseDigest, test_suite_hash = i.TestSuiteHash,
            }),
        };
        Assert.Equal(JsonSerializer.Serialize(document, FactoryJson.Options) + "\n", Written(s => RenderedPlan.WriteJson(s, "p", Items)));
    }

    [Fact]
    public void The_json_of_many_items_is_flushed_in_pieces_and_stays_one_document()
    {
        var many = Enumerable.Range(0, 2_000).Select(i => Item(i.ToString("x64"), "linux/amd64", "amd64", ("alpha", $"1.{i}.0"))).ToList();
        using var json = JsonDocument.Parse(Written(s => RenderedPlan.WriteJson(s, "p", many)));
        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2_000, items.Count);
        Assert.Equal("1.1999.0", items[^1].GetProperty("modules").GetProperty("alpha").GetString());
    }

    [Fact]
    public void The_text_has_a_heading_and_one_line_per_item()
    {
        Assert.Equal(
            "plan p: 2 combinations of manifest app\n" +
            "  111111111111  linux/amd64  pool amd64  alpha=1.0.0 beta=1.0.0\n" +
            "  222222222222  linux/arm64  pool arm64  alpha=1.1.0-rc.1+<b&'> beta=1.0.0\n",
            Written(s => RenderedPlan.WriteText(s, "p", "app", 2, Items)));
    }
}
