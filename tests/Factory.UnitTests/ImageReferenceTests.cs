using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>ImageReference.TryParse: registry detection, default tag, digests, and what is not a reference.</summary>
public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static ImageReference Parse(string text)
    {
        Assert.True(ImageReference.TryParse(text, out var reference), $"'{text}' should parse");
        return reference;
    }

    [Fact]
    public void A_two_part_name_without_a_dot_or_port_has_no_registry()
    {
        Assert.Equal(new ImageReference(null, "base/busybox", "1.35", null), Parse("base/busybox:1.35"));
    }

    [Fact]
    public void A_host_with_a_port_is_a_registry()
    {
        Assert.Equal(new ImageReference("127.0.0.1:5000", "base/busybox", null, Digest), Parse("127.0.0.1:5000/base/busybox@" + Digest));
    }

    [Fact]
    public void A_host_with_a_dot_is_a_registry()
    {
        Assert.Equal(new ImageReference("registry.example.com", "team/app", "v1", null), Parse("registry.example.com/team/app:v1"));
    }

    [Fact]
    public void Localhost_is_a_registry()
    {
        Assert.Equal("localhost", Parse("localhost/app").Registry);
    }

    [Fact]
    public void Without_tag_or_digest_the_tag_is_latest()
    {
        Assert.Equal(new ImageReference(null, "busybox", "latest", null), Parse("busybox"));
    }

    [Fact]
    public void A_digest_without_a_tag_gets_no_default_tag()
    {
        Assert.Null(Parse("busybox@" + Digest).Tag);
    }

    [Fact]
    public void A_tag_and_a_digest_are_both_kept()
    {
        Assert.Equal(new ImageReference(null, "busybox", "1.35", Digest), Parse("busybox:1.35@" + Digest));
    }

    [Theory]
    [InlineData("base/busybox:1.35")]
    [InlineData("127.0.0.1:5000/base/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("registry.example.com/a/b/c:1.0-rc_1")]
    public void A_reference_prints_as_it_was_written(string text) => Assert.Equal(text, Parse(text).ToString());

    [Fact]
    public void WithRegistry_fills_in_a_missing_registry_only()
    {
        Assert.Equal("127.0.0.1:5000/base/busybox:1.35", Parse("base/busybox:1.35").WithRegistry("127.0.0.1:5000").ToString());
        Assert.Equal("registry.example.com/app:latest", Parse("registry.example.com/app").WithRegistry("127.0.0.1:5000").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Base/BusyBox")]
    [InlineData("busybox:")]
    [InlineData("busybox@sha256:abc")]
    [InlineData("busybox@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("busy box")]
    [InlineData("/busybox")]
    [InlineData("busybox:-tag")]
    public void Text_that_is_not_an_image_reference_is_rejected(string text) => Assert.False(ImageReference.TryParse(text, out _));
}
