using System.Text.Json;
using Factory.Contracts.Messages;
using Factory.IntegrationTests.Infrastructure;
using Factory.Manifests;

namespace Factory.IntegrationTests.Sbom;

/// <summary>
/// Builds, once for the SBOM tests, a core_smoke image (busybox base, no package manager) and an llm_factory image
/// (Debian with python3 and numpy), amd64 only, with `factory run` on a scratch copy of the manifest store.
/// </summary>
public sealed class SbomImages : IAsyncLifetime
{
    private readonly ScratchStore _store = new();

    public BuiltImage Smoke { get; private set; } = null!;
    public BuiltImage Llm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smoke = await BuildAsync("it_sbom_smoke", "core_smoke", "light: [1.1.0]");
        Llm = await BuildAsync("it_sbom_llm", "llm_factory", "numerics: [1.1.0]");
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    private async Task<BuiltImage> BuildAsync(string planId, string manifest, string matrix)
    {
        _store.Write($"plans/{planId}.yaml", $"id: {planId}\nmanifest: {manifest}\nmatrix: {{{matrix}}}\nplatforms: [linux/amd64]\n");
        var run = await FactoryCli.RunAsync(_store.Args("run", planId, "--json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var item = run.Json.GetProperty("items")[0];
        var modules = item.GetProperty("modules").EnumerateObject().Select(slot =>
        {
            var module = ModuleLoader.Load(_store.Manifests, slot.Name, slot.Value.GetString()!);
            return new ModuleSelection { Slot = slot.Name, Name = module.Name, Version = module.Version, ContentDigest = module.ContentDigest, Owner = module.Owner };
        }).ToList();
        var workItem = new WorkItem
        {
            IdempotencyKey = item.GetProperty("idempotency_key").GetString()!,
            PlanId = planId,
            ManifestId = manifest,
            TemplateId = manifest == "core_smoke" ? "smoke" : "llm",
            TemplateVersion = "1.0.0",
            BaseImage = "unknown",
            BaseDigest = "unknown",
            Platform = item.GetProperty("platform").GetString()!,
            Pool = item.GetProperty("pool").GetString()!,
            Modules = modules,
            TestSuiteId = "none",
            TestSuiteHash = "none",
            Tests = [],
        };
        // The record's image was tagged in the registry, not in the engine: fetch it as a user of the record would.
        var image = item.GetProperty("image").GetString()!;
        await DockerCli.RunAsync("pull", "--quiet", image);
        return new BuiltImage(image, workItem);
    }
}
