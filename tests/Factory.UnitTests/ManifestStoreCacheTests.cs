using Factory.Manifests;
using Factory.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

/// <summary>
/// ManifestStoreCache on a real directory: the same store while nothing changed; a new one after a module file is
/// changed, added or deleted, found by the file system watcher alone and by the fingerprint alone; errors cached
/// until the store is fixed; a change that lands during a load is not lost.
/// </summary>
public sealed class ManifestStoreCacheTests : IDisposable
{
    private readonly TempManifestStore _store = new();
    private readonly FakeTimeProvider _clock = new();

    public void Dispose() => _store.Dispose();

    /// <summary>Compares the fingerprint on every call and hears no events: a change is seen at once, by the fingerprint.</summary>
    private ManifestStoreCache FingerprintOnly() => new(_store.Root, _clock, TimeSpan.Zero, watch: false);

    /// <summary>Never compares the fingerprint again: only the watcher's events can make it load again.</summary>
    private ManifestStoreCache WatcherOnly() => new(_store.Root, _clock, TimeSpan.MaxValue);

    /// <summary>The store once the watcher told the cache of a change (events arrive on another thread, within moments).</summary>
    private static ManifestStore NextStore(ManifestStoreCache cache, ManifestStore before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var store = cache.Get();
            if (!ReferenceEquals(store, before)) return store;
            Assert.True(DateTime.UtcNow < deadline, "the watcher did not report the change within 10 s");
            Thread.Sleep(20);
        }
    }

    private static string Digest(ManifestStore store, string name, string version) => store.FindModule(name, version)!.ContentDigest;

    [Fact]
    public void An_unchanged_store_is_loaded_once_and_returned_as_the_same_instance()
    {
        using var cache = FingerprintOnly();
        var first = cache.Get();
        Assert.Same(first, cache.Get());
        Assert.Same(first, cache.Get());
        Assert.Equal(1, cache.Loads);
    }

    [Fact]
    public void A_changed_module_file_is_seen_by_the_fingerprint()
    {
        using var cache = FingerprintOnly();
        var before = cache.Get();
        _store.Write("modules/alpha/1.1.0/files/alpha.sh", "#!/bin/sh\necho alpha changed, and longer\n");
        var after = cache.Get();
        Assert.NotSame(before, after);
        Assert.NotEqual(Digest(before, "alpha", "1.1.0"), Digest(after, "alpha", "1.1.0"));
        Assert.Equal(ModuleContentDigest.Compute(_store.PathOf("modules/alpha/1.1.0")), Digest(after, "alpha", "1.1.0"));
    }

    [Fact]
    public void A_changed_module_file_of_the_same_size_is_seen_by_its_modification_time()
    {
        using var cache = FingerprintOnly();
        var before = cache.Get();
        var file = _store.PathOf("modules/alpha/1.1.0/files/alpha.sh");
        var text = File.ReadAllText(file);
        File.WriteAllText(file, text.Replace("1.1.0", "1.1.9"));
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(5));
        Assert.NotEqual(Digest(before, "alpha", "1.1.0"), Digest(cache.Get(), "alpha", "1.1.0"));
    }

    [Fact]
    public void A_changed_module_file_is_seen_by_the_watcher()
    {
        using var cache = WatcherOnly();
        var before = cache.Get();
        _store.Write("modules/alpha/1.1.0/files/alpha.sh", "#!/bin/sh\necho alpha changed\n");
        var after = NextStore(cache, before);
        Assert.Equal(ModuleContentDigest.Compute(_store.PathOf("modules/alpha/1.1.0")), Digest(after, "alpha", "1.1.0"));
    }

    [Fact]
    public void An_added_module_version_is_seen_by_the_fingerprint_and_by_the_watcher()
    {
        using var fingerprint = FingerprintOnly();
        using var watcher = WatcherOnly();
        var (before, watched) = (fingerprint.Get(), watcher.Get());
        _store.Write("modules/beta/1.2.0/Dockerfile", TempManifestStore.BetaFragment);
        _store.Write("modules/beta/1.2.0/module.yaml", TempManifestStore.ModuleYaml("beta", "1.2.0"));

        Assert.Equal(["1.0.0", "1.2.0"], fingerprint.Get().VersionsOf("beta"));
        Assert.Equal(["1.0.0", "1.2.0"], NextStore(watcher, watched).VersionsOf("beta"));
        Assert.Equal(["1.0.0"], before.VersionsOf("beta"));
    }

    [Fact]
    public void A_deleted_module_version_is_seen_by_the_fingerprint_and_by_the_watcher()
    {
        using var fingerprint = FingerprintOnly();
        using var watcher = WatcherOnly();
        var watched = watcher.Get();
        Assert.NotNull(fingerprint.Get().FindModule("alpha", "1.1.0"));
        _store.Delete("modules/alpha/1.1.0");

        Assert.Null(fingerprint.Get().FindModule("alpha", "1.1.0"));
        Assert.Null(NextStore(watcher, watched).FindModule("alpha", "1.1.0"));
    }

    [Fact]
    public void A_store_made_invalid_reports_its_errors_until_it_is_fixed()
    {
        using var cache = FingerprintOnly();
        var valid = cache.Get();
        _store.Delete("modules/alpha/1.1.0/files/alpha.sh");

        for (var i = 0; i < 2; i++)
        {
            var errors = Assert.Throws<InvalidInputException>(() => cache.Get()).Errors;
            ErrorAssert.Has(errors, "modules/alpha/1.1.0/Dockerfile", "", "COPY source 'files/alpha.sh' does not exist in the module directory");
        }
        Assert.Equal(2, cache.Loads); // the errors are kept, not read again while nothing changed

        _store.Write("modules/alpha/1.1.0/files/alpha.sh", "#!/bin/sh\necho alpha 1.1.0\n");
        var fixedStore = cache.Get();
        Assert.NotSame(valid, fixedStore);
        Assert.NotNull(fixedStore.FindModule("alpha", "1.1.0"));
    }

    [Fact]
    public void The_fingerprint_is_compared_at_most_once_per_interval()
    {
        using var cache = new ManifestStoreCache(_store.Root, _clock, TimeSpan.FromSeconds(5), watch: false);
        var before = cache.Get();
        _store.Write("modules/alpha/1.1.0/files/alpha.sh", "#!/bin/sh\necho alpha changed\n");
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Same(before, cache.Get());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotSame(before, cache.Get());
    }

    [Fact]
    public void A_change_to_a_plan_does_not_reload_the_store()
    {
        using var cache = FingerprintOnly();
        using var watcher = WatcherOnly();
        var (before, watched) = (cache.Get(), watcher.Get());
        _store.Write("plans/p.yaml", TempManifestStore.PlanYaml + "\nconcurrency: 2\n");
        _store.Write("plans/other.yaml", TempManifestStore.PlanYaml);
        Thread.Sleep(300);
        Assert.Same(before, cache.Get());
        Assert.Same(watched, watcher.Get());
    }

    [Fact]
    public void A_change_that_lands_during_a_load_is_loaded_before_the_store_is_returned()
    {
        using var cache = FingerprintOnly();
        var attempts = 0;
        cache.LoadStarting = () =>
        {
            if (attempts++ == 0) _store.Write("modules/alpha/1.1.0/files/alpha.sh", "#!/bin/sh\necho written while the store was read\n");
        };
        var store = cache.Get();
        Assert.Equal(2, cache.Loads);
        Assert.Equal(ModuleContentDigest.Compute(_store.PathOf("modules/alpha/1.1.0")), Digest(store, "alpha", "1.1.0"));
        Assert.Same(store, cache.Get());
    }

    [Fact]
    public void Concurrent_callers_share_one_load()
    {
        using var cache = FingerprintOnly();
        var stores = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8).Select(_ => cache.Get()).ToList();
        Assert.All(stores, s => Assert.Same(stores[0], s));
        Assert.Equal(1, cache.Loads);
    }
}
