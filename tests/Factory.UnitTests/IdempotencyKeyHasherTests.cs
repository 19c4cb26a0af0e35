using System.Security.Cryptography;
using System.Text;
using Factory.Planning;

namespace Factory.UnitTests;

/// <summary>IdempotencyKeyHasher: the same bytes and key as IdempotencyKey's pinned encoding, for any number of combinations.</summary>
public sealed class IdempotencyKeyHasherTests
{
    private const string BaseDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly string[] Layers = ["security", "core", "light"];

    /// <summary>The canonical text as IdempotencyKey's documentation spells it, built here independently of the encoder.</summary>
    private static string Spelled(string platform, string? accelerator, IReadOnlyDictionary<string, string> modules) =>
        $"factory-idempotency-key/v1\ntemplate.id=smoke\ntemplate.version=1.0.0\nbase.digest={BaseDigest}\nplatform={platform}\naccelerator={accelerator ?? "none"}\n" +
        string.Concat(modules.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"module.{m.Key}={m.Value}\n"));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static TheoryData<string, string?, string, string, string> Combinations() => new()
    {
        { "linux/amd64", null, "1.0.0", "1.0.0", "1.1.0" },
        { "linux/arm64", null, "2.0.0", "1.0.0-rc.1", "1.1.0+build.7" },
        { "linux/amd64", "gpu", "10.20.30", "0.0.1", "1.1.0" },
        { "linux/amd64", null, "1.0.0", new string('9', 1500) + ".0.0", "1.1.0" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void The_hasher_makes_the_spelled_canonical_text_and_its_sha256(string platform, string? accelerator, string security, string core, string light)
    {
        var modules = new Dictionary<string, string> { ["light"] = light, ["security"] = security, ["core"] = core };
        var hasher = new IdempotencyKeyHasher("smoke", "1.0.0", BaseDigest, platform, accelerator, Layers);

        Assert.Equal(Spelled(platform, accelerator, modules), Encoding.UTF8.GetString(hasher.CanonicalBytes(modules)));
        Assert.Equal(Sha256(Spelled(platform, accelerator, modules)), hasher.Compute(modules));
        Assert.Equal(IdempotencyKey.Compute("smoke", "1.0.0", BaseDigest, platform, accelerator, modules), hasher.Compute(modules));
    }

    [Fact]
    public void One_hasher_gives_each_combination_its_own_key()
    {
        var hasher = new IdempotencyKeyHasher("smoke", "1.0.0", BaseDigest, "linux/amd64", null, Layers);
        var keys = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var modules = new Dictionary<string, string> { ["security"] = "1.0.0", ["core"] = $"1.{i}.0", ["light"] = "1.1.0" };
            var key = hasher.Compute(modules);
            Assert.Equal(Sha256(Spelled("linux/amd64", null, modules)), key);
            keys.Add(key);
        }
        Assert.Equal(50, keys.Count);
    }

    [Fact]
    public void Versions_for_other_slots_than_the_hashers_are_refused()
    {
        var hasher = new IdempotencyKeyHasher("smoke", "1.0.0", BaseDigest, "linux/amd64", null, Layers);
        Assert.Throws<ArgumentException>(() => hasher.Compute(new Dictionary<string, string> { ["security"] = "1.0.0", ["core"] = "1.0.0" }));
        Assert.Throws<KeyNotFoundException>(() => hasher.Compute(new Dictionary<string, string> { ["security"] = "1.0.0", ["core"] = "1.0.0", ["heavy"] = "1.0.0" }));
    }
}
