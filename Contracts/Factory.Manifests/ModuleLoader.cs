using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>Loads one module version from a manifest store, validated as the store loader does.</summary>
public static class ModuleLoader
{
    public static Module Load(string storeRoot, string name, string version)
    {
        var directory = DirectoryOf(storeRoot, name, version);
        var errors = new ErrorSink();
        if (!Directory.Exists(directory))
            throw new InvalidInputException(DisplayPath.Of(directory), "", $"module {name} {version} does not exist in the manifest store");
        var module = ModuleReader.ReadOne(name, directory, errors);
        errors.ThrowIfAny();
        return module!;
    }

    /// <summary>
    /// The one place a module version's directory is made from its name: modules/NAME/VERSION under the store, for a name
    /// and a version that cannot leave it. Anything else is refused as an invalid module reference and never becomes a path.
    /// </summary>
    public static string DirectoryOf(string storeRoot, string name, string version) =>
        Names.IsSafeName(name) && Names.IsSemVer(version)
            ? Path.Combine(storeRoot, "modules", name, version)
            : throw new InvalidInputException(storeRoot, "modules", $"invalid module reference {Names.Quote(name)} {Names.Quote(version)}");
}
