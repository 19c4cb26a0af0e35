using Factory.ControlPlane.Review;

namespace Factory.UnitTests.Review;

public sealed class SbomDiffTests
{
    private static string Sbom(params (string Type, string Name, string Version, string? Purl)[] components) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            bomFormat = "CycloneDX",
            specVersion = "1.6",
            components = components.Select(c => new { type = c.Type, name = c.Name, version = c.Version, purl = c.Purl }),
        });

    [Fact]
    public void Components_are_added_removed_or_changed_by_identity_not_by_version()
    {
        var before = SbomSummary.Parse(Sbom(
            ("operating-system", "debian", "12.5", null),
            ("library", "numpy", "1.24.0", "pkg:pypi/numpy@1.24.0"),
            ("library", "libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9?arch=amd64"),
            ("library", "six", "1.16.0", "pkg:pypi/six@1.16.0")));
        var after = SbomSummary.Parse(Sbom(
            ("operating-system", "debian", "12.5", null),
            ("library", "numpy", "1.26.4", "pkg:pypi/numpy@1.26.4"),
            ("library", "libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9?arch=amd64"),
            ("library", "scipy", "1.11.0", "pkg:pypi/scipy@1.11.0")));

        var diff = SbomDiff.Between(before, after);

        Assert.Equal(["scipy"], diff.Added.Select(c => c.Name));
        Assert.Equal(["six"], diff.Removed.Select(c => c.Name));
        Assert.Equal(new VersionChange("library", "numpy", "1.24.0", "1.26.4"), Assert.Single(diff.Changed));
        Assert.Equal(2, diff.Unchanged);
        Assert.Equal(3, before.ByType["library"]);
    }

    [Fact]
    public void Not_json_is_refused()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => SbomSummary.Parse("not json"));
    }
}
