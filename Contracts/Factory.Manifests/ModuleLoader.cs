using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>Loads one module version from a manifest store, validated as the store loader does.</summary>
public static class ModuleLoader
{
    public static Module Load(string storeRoot, string name, string version)
    {
        if (!Names.IsSafeName(name) || !Names.IsSemVer(version))
            throw new InvalidInputException(storeRoot, "modules", $"invalid module reference {Names.Quote(name)} {Names.Quote(version)}");
        var errors = new ErrorSink();
        var directory = Path.Combine(storeRoot, "modules", name, version);
        if (!Directory.Exists(directory))
            throw new InvalidInputException(DisplayPath.Of(directory), "", $"module {name} {version} does not exist in the manifest store");
        var module = ModuleReader.ReadOne(name, directory, errors);
        errors.ThrowIfAny();
        return module!;
    }
}
