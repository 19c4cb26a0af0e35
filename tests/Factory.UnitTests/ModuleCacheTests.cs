using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>A cached module is served only while its directory's content digest is the one it was read with.</summary>
public sealed class ModuleCacheTests : IDisposable
{
    private readonly TempManifestStore _store = new();

    [Fact]
    public void An_unchanged_module_is_read_once()
    {
        var cache = new ModuleCache();
        var first = cache.Load(_store.Root, "beta", "1.0.0");
        Assert.Same(first, cache.Load(_store.Root, "beta", "1.0.0"));
        Assert.Equal(ModuleLoader.Load(_store.Root, "beta", "1.0.0").ContentDigest, first.ContentDigest);
    }

    [Fact]
    public void A_module_changed_on_disk_is_read_again()
    {
        var cache = new ModuleCache();
        var before = cache.Load(_store.Root, "beta", "1.0.0");
        _store.Write("modules/beta/1.0.0/Dockerfile", "RUN echo changed > /etc/beta\n");
        var after = cache.Load(_store.Root, "beta", "1.0.0");
        Assert.NotEqual(before.ContentDigest, after.ContentDigest);
        Assert.Equal("RUN echo changed > /etc/beta\n", after.Fragment);
    }

    [Fact]
    public void A_broken_module_fails_as_the_loader_says_every_time()
    {
        var cache = new ModuleCache();
        cache.Load(_store.Root, "beta", "1.0.0");
        _store.Write("modules/beta/1.0.0/module.yaml", "name: beta\nversion: 1.0.0\n");
        var error = Assert.Throws<InvalidInputException>(() => cache.Load(_store.Root, "beta", "1.0.0"));
        Assert.Contains("owner", error.Message);
        Assert.Throws<InvalidInputException>(() => cache.Load(_store.Root, "missing", "1.0.0"));
    }

    public void Dispose() => _store.Dispose();
}
