using Factory.Planning;

namespace Factory.UnitTests;

/// <summary>IdempotencyKey: the canonical text and its sha256 are pinned; every input moves the key, map order does not.</summary>
public sealed class IdempotencyKeyTests
{
    private const string BaseDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Dictionary<string, string> Modules() => new() { ["security"] = "1.0.0", ["core"] = "1.0.0", ["light"] = "1.1.0" };

    private static string Key(
        string templateId = "smoke", string templateVersion = "1.0.0", string baseDigest = BaseDigest,
        string platform = "linux/amd64", string? accelerator = null, IReadOnlyDictionary<string, string>? modules = null) =>
        IdempotencyKey.Compute(templateId, templateVersion, baseDigest, platform, accelerator, modules ?? Modules());

    [Fact]
    public void The_canonical_text_is_pinned()
    {
        Assert.Equal(
            "factory-idempotency-key/v1\n" +
            "template.id=smoke\n" +
            "template.version=1.0.0\n" +
            "base.digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n" +
            "platform=linux/amd64\n" +
            "accelerator=none\n" +
            "module.core=1.0.0\n" +
            "module.light=1.1.0\n" +
            "module.security=1.0.0\n",
            IdempotencyKey.CanonicalText("smoke", "1.0.0", BaseDigest, "linux/amd64", null, Modules()));
    }

    [Fact]
    public void The_key_is_the_pinned_lower_case_sha256_of_the_canonical_text()
    {
        // printf '<canonical text>' | sha256sum
        Assert.Equal("ef77f3068dd954f1b7308b35c5a31fc257551348f208c885b8af336fdc65d965", Key());
    }

    [Fact]
    public void The_key_with_an_accelerator_is_pinned()
    {
        Assert.Equal("1e0251afd159ca11024898c1fc421c70ac8d4afdd550c169ec67c96e6f89649b", Key(accelerator: "gpu"));
    }

    [Fact]
    public void Changing_the_template_id_changes_the_key() => Assert.NotEqual(Key(), Key(templateId: "smoke2"));

    [Fact]
    public void Changing_the_template_version_changes_the_key() => Assert.NotEqual(Key(), Key(templateVersion: "1.0.1"));

    [Fact]
    public void Changing_the_base_digest_changes_the_key() =>
        Assert.NotEqual(Key(), Key(baseDigest: "sha256:" + new string('f', 64)));

    [Fact]
    public void Changing_the_platform_changes_the_key() => Assert.NotEqual(Key(), Key(platform: "linux/arm64"));

    [Fact]
    public void Changing_the_accelerator_changes_the_key() => Assert.NotEqual(Key(), Key(accelerator: "gpu"));

    [Theory]
    [InlineData("security")]
    [InlineData("core")]
    [InlineData("light")]
    public void Changing_any_module_version_changes_the_key(string slot)
    {
        var modules = Modules();
        modules[slot] = "9.9.9";
        Assert.NotEqual(Key(), Key(modules: modules));
    }

    [Fact]
    public void Adding_a_module_changes_the_key()
    {
        var modules = Modules();
        modules["extra"] = "1.0.0";
        Assert.NotEqual(Key(), Key(modules: modules));
    }

    [Fact]
    public void Module_insertion_order_does_not_change_the_key()
    {
        var reversed = new Dictionary<string, string>();
        foreach (var (slot, version) in Modules().Reverse()) reversed[slot] = version;
        Assert.NotEqual(Modules().Keys.First(), reversed.Keys.First());
        Assert.Equal(Key(), Key(modules: reversed));
        Assert.Equal(Key(), Key(modules: new SortedDictionary<string, string>(Modules(), StringComparer.Ordinal)));
    }

    [Fact]
    public void Slots_are_ordered_ordinally_not_by_culture()
    {
        var text = IdempotencyKey.CanonicalText("t", "1.0.0", BaseDigest, "linux/amd64", null,
            new Dictionary<string, string> { ["b"] = "1.0.0", ["B"] = "1.0.0", ["a-b"] = "1.0.0", ["a_b"] = "1.0.0" });
        Assert.EndsWith("module.B=1.0.0\nmodule.a-b=1.0.0\nmodule.a_b=1.0.0\nmodule.b=1.0.0\n", text);
    }
}
