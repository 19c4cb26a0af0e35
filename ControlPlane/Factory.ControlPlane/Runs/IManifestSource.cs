using Factory.Manifests;

namespace Factory.ControlPlane.Runs;

/// <summary>The manifest store as it stands now (throws InvalidInputException while it does not validate).</summary>
public interface IManifestSource
{
    ManifestStore Current();
}
