using System.Collections.Concurrent;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>
/// Module versions as <see cref="ModuleLoader"/> loads them, kept by directory and content digest. The digest is
/// computed again on every load (it covers every file of the directory, module.yaml and the fragment included), so a
/// module changed on disk is read again and a changed one is never served from here; what is saved is parsing and
/// checking the same YAML and fragment for every item that uses the module.
/// </summary>
public sealed class ModuleCache(int capacity = 4096)
{
    private readonly ConcurrentDictionary<(string Directory, string Digest), Module> _modules = new();

    public Module Load(string storeRoot, string name, string version)
    {
        var directory = ModuleLoader.DirectoryOf(storeRoot, name, version);
        string digest;
        try
        {
            digest = ModuleContentDigest.Compute(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return ModuleLoader.Load(storeRoot, name, version); // which says what is wrong, as it always did
        }
        return Load(storeRoot, name, version, digest);
    }

    /// <summary>
    /// The module version whose directory's content digest the caller has just computed (over the bytes it read): parsed
    /// once per digest. A module loaded here whose own digest differs (the directory changed between the caller's read
    /// and this load) is returned but not kept, so the caller can see the two disagree.
    /// </summary>
    public Module Load(string storeRoot, string name, string version, string digest)
    {
        var directory = ModuleLoader.DirectoryOf(storeRoot, name, version);
        if (_modules.TryGetValue((directory, digest), out var known)) return known;
        var module = ModuleLoader.Load(storeRoot, name, version);
        if (module.ContentDigest == digest)
        {
            // A store that keeps growing must not grow this without bound: starting over costs one parse per module.
            if (_modules.Count >= capacity) _modules.Clear();
            _modules[(directory, digest)] = module;
        }
        return module;
    }
}
