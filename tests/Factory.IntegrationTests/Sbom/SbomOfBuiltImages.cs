using System.Text.Json;
using Factory.Contracts.Failures;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Executor.Stages;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Sbom;

/// <summary>SBOMs of images built on the real engine, read from the images' own filesystems.</summary>
[Collection(DockerCollection.Name)]
public sealed class SbomOfBuiltImages(SbomImages images) : IClassFixture<SbomImages>
{
    private static readonly DockerEngine Engine = new(new ExecutorOptions());
    private static readonly SbomStage Stage = new(Engine, TimeProvider.System);

    [Fact]
    public async Task The_sbom_of_a_busybox_image_lists_its_modules_and_is_valid_cyclonedx_1_6()
    {
        var sbom = await Stage.RunAsync(images.Smoke.Item, images.Smoke.Image, CancellationToken.None);

        await CycloneDxValidator.AssertValidAsync(sbom.Content);
        var bom = JsonDocument.Parse(sbom.Content).RootElement;
        var components = bom.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(3, sbom.ComponentCount);
        Assert.Equal(["core", "light", "security"], components.Select(c => c.GetProperty("name").GetString()));
        foreach (var (component, module) in components.Zip(images.Smoke.Item.Modules.OrderBy(m => m.Name, StringComparer.Ordinal)))
        {
            Assert.Equal("library", component.GetProperty("type").GetString());
            Assert.Equal(module.Version, component.GetProperty("version").GetString());
            Assert.Equal($"pkg:generic/factory-module/{module.Name}@{module.Version}", component.GetProperty("purl").GetString());
            Assert.Equal(module.ContentDigest, "sha256:" + component.GetProperty("hashes")[0].GetProperty("content").GetString());
            Assert.Equal(module.Owner!.Team, component.GetProperty("supplier").GetProperty("name").GetString());
            Assert.Equal(module.Owner.Handle, component.GetProperty("supplier").GetProperty("contact")[0].GetProperty("name").GetString());
        }
        var image = bom.GetProperty("metadata").GetProperty("component");
        Assert.Equal("container", image.GetProperty("type").GetString());
        Assert.Equal(images.Smoke.Image, image.GetProperty("name").GetString() + "@" + image.GetProperty("version").GetString());
        Assert.StartsWith("pkg:oci/core_smoke@sha256:", image.GetProperty("purl").GetString());
    }

    [Fact]
    public async Task The_sbom_of_a_debian_image_lists_exactly_the_packages_dpkg_query_reports()
    {
        var sbom = await Stage.RunAsync(images.Llm.Item, images.Llm.Image, CancellationToken.None);

        await CycloneDxValidator.AssertValidAsync(sbom.Content);
        var components = JsonDocument.Parse(sbom.Content).RootElement.GetProperty("components").EnumerateArray().ToList();
        var debs = components.Where(c => Purl(c)?.StartsWith("pkg:deb/", StringComparison.Ordinal) == true).ToList();
        var reported = (await DockerCli.RunAsync("run", "--rm", "--pull", "never", "--network", "none", "--platform", "linux/amd64",
                images.Llm.Image, "dpkg-query", "-W", "-f", "${Package} ${Version}\n"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(reported, debs.Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("version").GetString()}").Order(StringComparer.Ordinal));
        Assert.Contains(debs, c => c.GetProperty("name").GetString() == "python3-numpy");
        Assert.All(debs, c => Assert.Matches(@"^pkg:deb/debian/[^@]+@[^?]+\?arch=(amd64|all)&distro=debian-12$", c.GetProperty("purl").GetString()));

        var os = Assert.Single(components, c => c.GetProperty("type").GetString() == "operating-system");
        Assert.Equal(("debian", "12"), (os.GetProperty("name").GetString(), os.GetProperty("version").GetString()));
        Assert.Equal(["deb-security", "numerics", "python"], components
            .Where(c => Purl(c)?.StartsWith("pkg:generic/factory-module/", StringComparison.Ordinal) == true)
            .Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(debs.Count + 1 + 3, sbom.ComponentCount);
    }

    [Fact]
    public async Task Files_are_read_from_an_image_without_running_it_following_symlinks_and_skipping_what_is_missing()
    {
        var before = await ReadContainersAsync();

        var files = await Engine.ReadFilesAsync(images.Llm.Image, "linux/amd64",
            ["/etc/os-release", "/usr/lib/os-release", "/var/lib/dpkg/status", "/lib/apk/db/installed", "/etc", "/no/such/file", "/etc/os-release/below-a-file"],
            CancellationToken.None);

        Assert.Equal(["/etc/os-release", "/usr/lib/os-release", "/var/lib/dpkg/status"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(files["/usr/lib/os-release"], files["/etc/os-release"]); // /etc/os-release -> ../usr/lib/os-release
        Assert.Contains("ID=debian", System.Text.Encoding.UTF8.GetString(files["/etc/os-release"]));
        Assert.Contains("Package: python3-numpy", System.Text.Encoding.UTF8.GetString(files["/var/lib/dpkg/status"]));
        // The container it read from is gone. (Another executor may be reading at the same time: its container goes soon too.)
        var left = (await ReadContainersAsync()).Except(before).ToList();
        for (var wait = 0; wait < 20 && left.Count > 0; wait++)
        {
            await Task.Delay(500);
            left = left.Intersect(await ReadContainersAsync()).ToList();
        }
        Assert.Empty(left);
    }

    private static string? Purl(JsonElement component) => component.TryGetProperty("purl", out var purl) ? purl.GetString() : null;

    private static async Task<IReadOnlyList<string>> ReadContainersAsync() =>
        (await DockerCli.RunAsync("ps", "--all", "--quiet", "--no-trunc", "--filter", "name=factory-read-")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Reading_from_an_image_the_engine_does_not_have_is_an_infrastructure_error()
    {
        var missing = $"127.0.0.1:5000/factory/does-not-exist:{Guid.NewGuid():N}";

        var error = await Assert.ThrowsAsync<InfrastructureException>(() =>
            Engine.ReadFilesAsync(missing, "linux/amd64", ["/etc/os-release"], CancellationToken.None));

        Assert.Contains(missing, error.Message);
    }
}
