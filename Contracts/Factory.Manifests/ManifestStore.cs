using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>The validated content of a manifest store directory.</summary>
public sealed class ManifestStore
{
    public required string Root { get; init; }
    public required IReadOnlyDictionary<string, ManifestEntry> Entries { get; init; }
    public required IReadOnlyDictionary<string, Template> Templates { get; init; }
    public required IReadOnlyDictionary<string, TestSuite> TestSuites { get; init; }
    /// <summary>Module versions by name, then version.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, Module>> Modules { get; init; }

    public string StoreFile => Path.Combine(Root, "store.yaml");
    public string TemplateFile(string id) => Path.Combine(Root, "templates", id + ".yaml");

    public Module? FindModule(string name, string version) =>
        Modules.TryGetValue(name, out var versions) && versions.TryGetValue(version, out var module) ? module : null;

    public IEnumerable<string> VersionsOf(string name) =>
        Modules.TryGetValue(name, out var versions) ? versions.Keys.Order(StringComparer.Ordinal) : [];

    /// <summary>Errors for module versions whose files changed since a build recorded their digest.</summary>
    public IReadOnlyList<InputError> CheckImmutability(IReadOnlyDictionary<(string Name, string Version), string> recordedDigests) =>
        CheckImmutability(recordedDigests.Keys, recordedDigests);

    /// <summary>
    /// As above for the given module versions only (e.g. those a plan uses), each looked up in
    /// <paramref name="recordedDigests"/>: a version never recorded, or no longer in the store, is not an error.
    /// </summary>
    public IReadOnlyList<InputError> CheckImmutability(IEnumerable<(string Name, string Version)> modules, IReadOnlyDictionary<(string Name, string Version), string> recordedDigests)
    {
        var errors = new List<InputError>();
        foreach (var (name, version) in modules.Distinct().OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Version, StringComparer.Ordinal))
        {
            var module = FindModule(name, version);
            if (module is not null && recordedDigests.TryGetValue((name, version), out var recorded) && module.ContentDigest != recorded)
                errors.Add(new InputError(DisplayPath.Of(module.Directory), "",
                    $"module {name} {version} was released with content {recorded} but its files now hash to {module.ContentDigest}: " +
                    "a released module version is immutable, publish the change as a new version"));
        }
        return errors;
    }
}
