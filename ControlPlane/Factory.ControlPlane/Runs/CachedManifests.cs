using Factory.Manifests;

namespace Factory.ControlPlane.Runs;

/// <summary>The manifest store, loaded once and again only when its files change (ManifestStoreCache).</summary>
public sealed class CachedManifests(ManifestStoreCache cache) : IManifestSource
{
    public ManifestStore Current() => cache.Get();
}
