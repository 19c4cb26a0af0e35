using Factory.Manifests;

namespace Factory.ControlPlane.Runs;

/// <summary>The manifest store read from disk each time (until the cache that reloads on change lands).</summary>
public sealed class LoadedManifests(ControlPlaneOptions options) : IManifestSource
{
    public ManifestStore Current() => ManifestStoreLoader.Load(options.ManifestStore);
}
