using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>Names: safe names (they become paths, tags and key text), semantic versions, quoting for messages.</summary>
public sealed class NamesTests
{
    [Theory]
    [InlineData("core")]
    [InlineData("deb-security")]
    [InlineData("core_smoke")]
    [InlineData("a.b_c-1")]
    [InlineData("0")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")] // 63 characters
    public void A_safe_name_is_accepted(string name) => Assert.True(Names.IsSafeName(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Core")]
    [InlineData("-core")]
    [InlineData(".core")]
    [InlineData("_core")]
    [InlineData("a..b")]
    [InlineData("../core")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("core\n")]   // .NET's $ matches before a final newline; the rule must not
    [InlineData("core\r\n")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")] // 64 characters
    public void An_unsafe_name_is_rejected(string? name) => Assert.False(Names.IsSafeName(name));

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("10.20.30", true)]
    [InlineData("1.0.0-rc.1", true)]
    [InlineData("1.0.0+build.7", true)]
    [InlineData("1.0", false)]
    [InlineData("1.0.0.0", false)]
    [InlineData("v1.0.0", false)]
    [InlineData("01.0.0", false)]
    [InlineData("1.0.0\n", false)]
    [InlineData(null, false)]
    public void Only_semantic_versions_are_versions(string? version, bool valid) => Assert.Equal(valid, Names.IsSemVer(version));

    [Fact]
    public void Quoting_makes_newlines_visible() => Assert.Equal("'a\\nb\\r'", Names.Quote("a\nb\r"));

    [Fact]
    public void The_known_platforms_and_accelerators_are_fixed()
    {
        Assert.Equal(["linux/amd64", "linux/arm64"], Names.KnownPlatforms);
        Assert.Equal(["gpu"], Names.KnownAccelerators);
    }
}
