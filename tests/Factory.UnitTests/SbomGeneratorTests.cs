using System.Text;
using System.Text.Json;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor.Sbom;

namespace Factory.UnitTests;

public sealed class SbomGeneratorTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 11, 12, 345, TimeSpan.FromHours(1));
    private static readonly Guid Serial = Guid.Parse("3e671687-395b-41f5-a30f-a58921a69b79");

    private static JsonElement Generate(IReadOnlyDictionary<string, byte[]> files, WorkItem? item = null, string? image = null) =>
        JsonDocument.Parse(SbomGenerator.Generate(item ?? SbomSamples.Item(), image ?? SbomSamples.Image, files, At, Serial).Content).RootElement;

    private static JsonElement[] Components(JsonElement bom) => [.. bom.GetProperty("components").EnumerateArray()];

    private static string[] Purls(JsonElement bom) => [.. Components(bom).Where(c => c.TryGetProperty("purl", out _)).Select(c => c.GetProperty("purl").GetString()!)];

    [Fact]
    public void Debian_packages_get_deb_purls_with_arch_and_distro_and_encoded_versions()
    {
        var purls = Purls(Generate(SbomSamples.DebianFiles()));

        Assert.Equal(
        [
            "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=i386&distro=debian-12",
            "pkg:deb/debian/libpython3.11-stdlib@3.11.2-6%2Bdeb12u1?arch=amd64&distro=debian-12",
            "pkg:deb/debian/python3-numpy@1:1.24.2-1%2Bdeb12u1?arch=amd64&distro=debian-12",
            "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
            "pkg:generic/factory-module/numerics@1.1.0",
            "pkg:generic/factory-module/python@1.0.0",
        ], purls);
    }

    [Fact]
    public void Alpine_packages_get_apk_purls_with_arch()
    {
        var bom = Generate(SbomSamples.AlpineFiles());

        Assert.Equal(
        [
            "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64",
            "pkg:apk/alpine/ca-certificates-bundle@20240226-r0?arch=x86_64",
            "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64",
            "pkg:generic/factory-module/numerics@1.1.0",
            "pkg:generic/factory-module/python@1.0.0",
        ], Purls(bom));
        var busybox = Components(bom).Single(c => c.GetProperty("name").GetString() == "busybox");
        Assert.Equal("GPL-2.0-only", busybox.GetProperty("licenses")[0].GetProperty("license").GetProperty("name").GetString());
        Assert.Equal("soeren+alpine@soeren-tempel.net", busybox.GetProperty("supplier").GetProperty("contact")[0].GetProperty("email").GetString());
        Assert.Equal("busybox", Property(busybox, "factory:apk:origin"));
    }

    [Fact]
    public void Components_are_sorted_by_purl_with_the_operating_system_first_and_bom_refs_are_unique()
    {
        var components = Components(Generate(SbomSamples.DebianFiles()));

        Assert.Equal("operating-system", components[0].GetProperty("type").GetString());
        var purls = components.Skip(1).Select(c => c.GetProperty("purl").GetString()!).ToList();
        Assert.Equal(purls.Order(StringComparer.Ordinal), purls);
        var refs = components.Select(c => c.GetProperty("bom-ref").GetString()!).ToList();
        Assert.Equal(refs.Count, refs.Distinct(StringComparer.Ordinal).Count());
        Assert.All(components.Skip(1), c => Assert.Equal(c.GetProperty("purl").GetString(), c.GetProperty("bom-ref").GetString()));
    }

    [Fact]
    public void A_repeated_package_keeps_a_unique_bom_ref()
    {
        var twice = SbomSamples.DpkgParagraph("dup", "1.0") + "\n" + SbomSamples.DpkgParagraph("dup", "1.0");
        var files = new Dictionary<string, byte[]> { [DpkgStatusParser.Path] = Encoding.UTF8.GetBytes(twice) };

        var refs = Components(Generate(files)).Select(c => c.GetProperty("bom-ref").GetString()).ToList();

        Assert.Contains("pkg:deb/debian/dup@1.0?arch=amd64", refs);
        Assert.Contains("pkg:deb/debian/dup@1.0?arch=amd64#2", refs);
    }

    [Fact]
    public void The_operating_system_is_a_component_from_os_release()
    {
        var os = Components(Generate(SbomSamples.DebianFiles()))[0];

        Assert.Equal("debian", os.GetProperty("name").GetString());
        Assert.Equal("12", os.GetProperty("version").GetString());
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.GetProperty("description").GetString());
        Assert.Equal("os:debian@12", os.GetProperty("bom-ref").GetString());
        Assert.Equal("bookworm", Property(os, "factory:os:version_codename"));
        Assert.Contains(os.GetProperty("externalReferences").EnumerateArray(),
            r => r.GetProperty("type").GetString() == "website" && r.GetProperty("url").GetString() == "https://www.debian.org/");
    }

    [Fact]
    public void Debian_package_fields_become_supplier_description_website_and_source()
    {
        var numpy = Components(Generate(SbomSamples.DebianFiles())).Single(c => c.GetProperty("name").GetString() == "python3-numpy");

        Assert.Equal("library", numpy.GetProperty("type").GetString());
        Assert.Equal("1:1.24.2-1+deb12u1", numpy.GetProperty("version").GetString());
        Assert.Equal("Debian Python Team", numpy.GetProperty("supplier").GetProperty("name").GetString());
        Assert.Equal("team+python@tracker.debian.org", numpy.GetProperty("supplier").GetProperty("contact")[0].GetProperty("email").GetString());
        Assert.Equal("Fast array facility to the Python 3 language", numpy.GetProperty("description").GetString());
        Assert.Equal("https://www.numpy.org/", numpy.GetProperty("externalReferences")[0].GetProperty("url").GetString());
        Assert.Equal("numpy", Property(numpy, "factory:deb:source"));
        var stdlib = Components(Generate(SbomSamples.DebianFiles())).Single(c => c.GetProperty("name").GetString() == "libpython3.11-stdlib");
        Assert.Equal("3.11.2-6", Property(stdlib, "factory:deb:source_version"));
    }

    [Theory]
    [InlineData("Debian Python Team <team+python@tracker.debian.org>", "Debian Python Team", "team+python@tracker.debian.org")]
    [InlineData("GNU Libc Maintainers <debian-glibc@lists.debian.org>", "GNU Libc Maintainers", "debian-glibc@lists.debian.org")]
    [InlineData("<only@example.org>", "only@example.org", "only@example.org")]
    [InlineData("Somebody", "Somebody", null)]
    [InlineData("Broken <not an address>", "Broken <not an address>", null)]
    [InlineData("Local <root@localhost>", "Local", null)]
    public void A_maintainer_becomes_a_supplier_with_an_address_only_when_it_is_a_plain_one(string maintainer, string name, string? email)
    {
        var supplier = SbomGenerator.Supplier(maintainer)!;

        Assert.Equal(name, supplier.Name);
        Assert.Equal(email, supplier.Contact?.Single().Email);
    }

    [Fact]
    public void Modules_are_libraries_with_generic_purls_content_hashes_and_owners()
    {
        var numerics = Components(Generate(SbomSamples.DebianFiles())).Single(c => c.GetProperty("name").GetString() == "numerics");

        Assert.Equal("library", numerics.GetProperty("type").GetString());
        Assert.Equal("factory-module", numerics.GetProperty("group").GetString());
        Assert.Equal("1.1.0", numerics.GetProperty("version").GetString());
        Assert.Equal("pkg:generic/factory-module/numerics@1.1.0", numerics.GetProperty("purl").GetString());
        Assert.Equal("SHA-256", numerics.GetProperty("hashes")[0].GetProperty("alg").GetString());
        Assert.Equal(new string('c', 64), numerics.GetProperty("hashes")[0].GetProperty("content").GetString());
        Assert.Equal("ml", numerics.GetProperty("supplier").GetProperty("name").GetString());
        Assert.Equal("@ml-platform", numerics.GetProperty("supplier").GetProperty("contact")[0].GetProperty("name").GetString());
        Assert.Equal("numerics", Property(numerics, "factory:module:slot"));
        Assert.Equal("sha256:" + new string('c', 64), Property(numerics, "factory:module:content_digest"));
    }

    [Fact]
    public void A_module_without_an_owner_has_no_supplier()
    {
        var item = SbomSamples.Item() with { Modules = [new ModuleSelection { Slot = "x", Name = "x", Version = "2.0.0", ContentDigest = "sha256:" + new string('d', 64) }] };

        var module = Components(Generate(new Dictionary<string, byte[]>(), item)).Single();

        Assert.False(module.TryGetProperty("supplier", out _));
    }

    [Fact]
    public void An_image_without_package_databases_lists_only_its_modules()
    {
        var bom = Generate(new Dictionary<string, byte[]>());

        Assert.Equal(["pkg:generic/factory-module/numerics@1.1.0", "pkg:generic/factory-module/python@1.0.0"], Purls(bom));
        Assert.Equal(2, SbomGenerator.Generate(SbomSamples.Item(), SbomSamples.Image, new Dictionary<string, byte[]>(), At, Serial).ComponentCount);
    }

    [Fact]
    public void Metadata_names_the_image_as_a_container_with_an_oci_purl()
    {
        var metadata = Generate(SbomSamples.DebianFiles()).GetProperty("metadata");
        var image = metadata.GetProperty("component");

        Assert.Equal("container", image.GetProperty("type").GetString());
        Assert.Equal("127.0.0.1:5000/factory/llm_factory", image.GetProperty("name").GetString());
        Assert.Equal(SbomSamples.Digest, image.GetProperty("version").GetString());
        Assert.Equal($"pkg:oci/llm_factory@{SbomSamples.Digest}?arch=amd64&repository_url=127.0.0.1:5000/factory/llm_factory", image.GetProperty("purl").GetString());
        Assert.Equal(SbomSamples.Digest["sha256:".Length..], image.GetProperty("hashes")[0].GetProperty("content").GetString());
        Assert.Equal("2026-11-23T09:11:12Z", metadata.GetProperty("timestamp").GetString());
        Assert.Equal("factory", metadata.GetProperty("tools").GetProperty("components")[0].GetProperty("name").GetString());
        Assert.Equal("post-build", metadata.GetProperty("lifecycles")[0].GetProperty("phase").GetString());
        Assert.Equal("llm_factory", Property(metadata, "factory:manifest_id"));
        Assert.Equal("llm@1.0.0", Property(metadata, "factory:template"));
        Assert.Equal(SbomSamples.Item().IdempotencyKey, Property(metadata, "factory:idempotency_key"));
    }

    [Fact]
    public void An_image_by_tag_keeps_the_tag_in_its_purl()
    {
        var image = Generate(new Dictionary<string, byte[]>(), SbomSamples.Item() with { Platform = "linux/arm64/v8" }, "127.0.0.1:5000/base/debian:bookworm")
            .GetProperty("metadata").GetProperty("component");

        Assert.Equal("pkg:oci/debian?arch=arm64&repository_url=127.0.0.1:5000/base/debian&tag=bookworm", image.GetProperty("purl").GetString());
        Assert.Equal("bookworm", image.GetProperty("version").GetString());
    }

    [Fact]
    public void The_document_is_cyclonedx_1_6_with_a_urn_uuid_serial_number()
    {
        var bom = Generate(SbomSamples.DebianFiles());

        Assert.Equal("CycloneDX", bom.GetProperty("bomFormat").GetString());
        Assert.Equal("1.6", bom.GetProperty("specVersion").GetString());
        Assert.Equal(1, bom.GetProperty("version").GetInt32());
        Assert.Equal("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", bom.GetProperty("serialNumber").GetString());
    }

    [Fact]
    public void Output_is_byte_identical_for_the_same_inputs_apart_from_timestamp_and_serial()
    {
        var files = SbomSamples.DebianFiles();
        var first = SbomGenerator.Generate(SbomSamples.Item(), SbomSamples.Image, files, At, Serial).Content;
        var again = SbomGenerator.Generate(SbomSamples.Item(), SbomSamples.Image, files, At, Serial).Content;
        var later = SbomGenerator.Generate(SbomSamples.Item(), SbomSamples.Image, files, At.AddHours(5), Guid.NewGuid()).Content;

        Assert.Equal(first, again);
        Assert.NotEqual(first, later);
        Assert.Equal(WithoutVolatile(first), WithoutVolatile(later));
    }

    [Fact]
    public void Output_does_not_depend_on_the_order_of_the_package_database_or_the_modules()
    {
        var item = SbomSamples.Item();
        var reordered = item with { Modules = [.. item.Modules.Reverse()] };
        var shuffled = new Dictionary<string, byte[]>(SbomSamples.DebianFiles())
        {
            [DpkgStatusParser.Path] = Encoding.UTF8.GetBytes(string.Join("\n\n", SbomSamples.DpkgStatus.Split("\n\n").Reverse())),
        };

        Assert.Equal(
            SbomGenerator.Generate(item, SbomSamples.Image, SbomSamples.DebianFiles(), At, Serial).Content,
            SbomGenerator.Generate(reordered, SbomSamples.Image, shuffled, At, Serial).Content);
    }

    [Theory]
    [InlineData("deb", "debian", "attr", "1:2.4.47-2+b1", "amd64", "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64")]
    [InlineData("deb", "debian", "libstdc++6", "12.2.0-14", "amd64", "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64")]
    [InlineData("apk", "alpine", "so:libc.musl", "1.0 beta", null, "pkg:apk/alpine/so:libc.musl@1.0%20beta")]
    [InlineData("generic", "factory-module", "naïve", "1.0.0~rc1", null, "pkg:generic/factory-module/na%C3%AFve@1.0.0~rc1")]
    [InlineData("generic", "a/b", "n@me", "v/1", "x&y=z", "pkg:generic/a/b/n%40me@v%2F1?arch=x%26y%3Dz")]
    public void Purls_percent_encode_everything_but_unreserved_characters_and_colons(string type, string ns, string name, string version, string? arch, string expected) =>
        Assert.Equal(expected, PackageUrl.Create(type, ns, name, version, new Dictionary<string, string?> { ["arch"] = arch }));

    [Fact]
    public void Purl_qualifiers_are_sorted_by_key_and_empty_ones_dropped() =>
        Assert.Equal("pkg:oci/x@sha256:ab?arch=amd64&repository_url=r.example/x&tag=t",
            PackageUrl.Create("oci", null, "x", "sha256:ab", new Dictionary<string, string?> { ["tag"] = "t", ["repository_url"] = "r.example/x", ["empty"] = "", ["arch"] = "amd64" }));

    private static string? Property(JsonElement owner, string name) =>
        owner.GetProperty("properties").EnumerateArray().SingleOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } p
            ? p.GetProperty("value").GetString()
            : null;

    private static string WithoutVolatile(byte[] json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["serialNumber"] = "";
        node["metadata"]!["timestamp"] = "";
        return node.ToJsonString();
    }
}
