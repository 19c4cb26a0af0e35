using Factory.Contracts.Health;
using Factory.ControlPlane.Runs;
using Factory.Manifests;

namespace Factory.ControlPlane.Health;

/// <summary>
/// The manifest store validates: while it does not, every plan would be refused, so the control plane is not ready.
/// The store is cached (ManifestStoreCache) and read again only when its files change, so this is cheap.
/// </summary>
public sealed class ManifestStoreProbe(IManifestSource manifests) : IReadinessProbe
{
    /// <summary>How many of the store's errors the answer shows (`manifests validate` lists them all).</summary>
    public const int ErrorsShown = 3;

    public string Name => "manifests";

    public Task<string?> ProbeAsync(CancellationToken ct) => Task.Run(() =>
    {
        try
        {
            manifests.Current();
            return null;
        }
        catch (InvalidInputException ex)
        {
            return Describe(ex.Errors);
        }
    }, ct);

    public static string Describe(IReadOnlyList<InputError> errors) =>
        $"the manifest store fails validation ({errors.Count} error{(errors.Count == 1 ? "" : "s")}; `factory manifests validate` lists them): "
        + string.Join("; ", errors.Take(ErrorsShown)) + (errors.Count > ErrorsShown ? "; …" : "");
}
