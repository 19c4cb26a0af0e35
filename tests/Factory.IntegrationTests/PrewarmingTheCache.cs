using System.Text.Json;
using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests;

/// <summary>
/// `factory prewarm` on the real engine and registry. The engine's build cache is shared and never emptied here:
/// the stable layers are made new instead, with a deb-security version unique to the run at the bottom of llm_factory,
/// so every step above the base is missing from every cache (the engine's and the registry's) until prewarm builds it.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class PrewarmingTheCache : IDisposable
{
    private readonly ScratchStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task After_prewarm_the_first_item_of_llm_factory_builds_its_stable_layers_from_cache()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var version = $"1.0.1-it{marker}";
        var hardening = await File.ReadAllTextAsync(Path.Combine(_store.Manifests, "modules/deb-security/1.0.0/Dockerfile"));
        _store.AddModule("deb-security", version, $"RUN echo \"prewarm {marker}\" > /etc/factory-prewarm-marker\n" + hardening);
        var storeFile = Path.Combine(_store.Manifests, "store.yaml");
        await File.WriteAllTextAsync(storeFile, (await File.ReadAllTextAsync(storeFile)).Replace("{deb-security: 1.0.0,", $"{{deb-security: {version},"));

        var prewarm = await FactoryCli.RunAsync(_store.Args("prewarm", "--pool", "amd64", "--json"));

        Assert.True(prewarm.ExitCode == 0, prewarm.ToString());
        var llm = prewarm.Json.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("manifest").GetString() == "llm_factory");
        Assert.Equal("linux/amd64", llm.GetProperty("platform").GetString());
        Assert.Equal([$"deb-security=deb-security@{version}", "python=python@1.0.0"], llm.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));
        Assert.StartsWith("127.0.0.1:5000/base/debian@sha256:", llm.GetProperty("base_image").GetString());
        // The marker's step, deb-security's and python's: none was in any cache.
        Assert.True(llm.GetProperty("steps").GetInt32() == 3 && llm.GetProperty("cached_steps").GetInt32() == 0, $"the new layers were not all built: {llm}");
        var cacheTag = llm.GetProperty("cache_tag").GetString()!;
        Assert.True(await InRegistryAsync(cacheTag), $"{cacheTag} was not pushed");

        // The first item of llm_factory (numerics 1.0.0), on linux/amd64, never built before.
        _store.Write("plans/it_prewarm.yaml", "id: it_prewarm\nmanifest: llm_factory\nmatrix: {numerics: [1.0.0]}\nplatforms: [linux/amd64]\n");
        var run = await FactoryCli.RunAsync(_store.Args("run", "it_prewarm", "--pools", "amd64", "--json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var record = await CliRecords.ShowAsync(_store, run.Json.GetProperty("items")[0].GetProperty("build_id").GetString()!);
        var log = CliRecords.Evidence(_store, record, "build_log");
        Assert.Contains($"importing cache manifest from {cacheTag}", log);
        Assert.Contains("CACHED", BuildKitLog.StepLines(log, marker));
        Assert.Contains("CACHED", BuildKitLog.StepLines(log, "--no-install-recommends python3 "));
        // Above the stable layers nothing was cached: the numerics step on the new layers is built.
        Assert.DoesNotContain("CACHED", BuildKitLog.StepLines(log, "python3-numpy"));
    }

    [Fact]
    public async Task Prewarm_of_the_arm64_pool_builds_arm64_layers_through_QEMU()
    {
        // Only the busybox manifest: its layers build in seconds under QEMU.
        await File.WriteAllTextAsync(Path.Combine(_store.Manifests, "store.yaml"),
            "core_smoke:\n  template: smoke\n  modules: {security: 1.0.0, core: 1.0.0, light: 1.0.0}\n  platforms: [linux/amd64, linux/arm64]\n");
        foreach (var plan in Directory.EnumerateFiles(Path.Combine(_store.Manifests, "plans"), "*.yaml").Where(p => !p.EndsWith("core_smoke.yaml")))
            File.Delete(plan);

        var prewarm = await FactoryCli.RunAsync(_store.Args("prewarm", "--pool", "arm64", "--json"));

        Assert.True(prewarm.ExitCode == 0, prewarm.ToString());
        var layers = prewarm.Json.GetProperty("layers").EnumerateArray().ToList();
        var stable = Assert.Single(layers);
        Assert.Equal("linux/arm64", stable.GetProperty("platform").GetString());
        Assert.Equal(["security=security@1.0.0", "core=core@1.0.0"], stable.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("arm64", await ArchitectureInRegistryAsync(stable.GetProperty("cache_tag").GetString()!));
    }

    [Fact]
    public async Task An_unknown_pool_is_rejected_with_exit_code_2_naming_the_pools_there_are()
    {
        var prewarm = await FactoryCli.RunAsync(_store.Args("prewarm", "--pool", "sparc"));

        Assert.True(prewarm.ExitCode == 2, prewarm.ToString());
        Assert.Contains("--pool: unknown pool 'sparc': expected one of amd64, arm64, gpu", prewarm.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_store.State, "work")), "nothing may have been rendered");
    }

    private static readonly HttpClient Registry = new();

    private static async Task<JsonElement?> ManifestAsync(string tag)
    {
        var (repository, reference) = (tag["127.0.0.1:5000/".Length..tag.LastIndexOf(':')], tag[(tag.LastIndexOf(':') + 1)..]);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:5000/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await Registry.SendAsync(request);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
    }

    private static async Task<bool> InRegistryAsync(string tag) => await ManifestAsync(tag) is not null;

    private static async Task<string?> ArchitectureInRegistryAsync(string tag)
    {
        if (await ManifestAsync(tag) is not { } manifest) return null;
        var repository = tag["127.0.0.1:5000/".Length..tag.LastIndexOf(':')];
        var config = await Registry.GetStringAsync($"http://127.0.0.1:5000/v2/{repository}/blobs/{manifest.GetProperty("config").GetProperty("digest").GetString()}");
        return JsonDocument.Parse(config).RootElement.GetProperty("architecture").GetString();
    }
}
