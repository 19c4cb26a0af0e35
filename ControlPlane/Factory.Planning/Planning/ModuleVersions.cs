using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Factory.Planning;

/// <summary>
/// Slot → version for one combination, in layer order: an array of versions over a slot index shared by every
/// combination of a plan. A plan of 100k combinations then holds one small array each rather than a hash table each.
/// </summary>
public sealed class ModuleVersions : IReadOnlyDictionary<string, string>
{
    private readonly SlotIndex _slots;
    private readonly string[] _versions;

    internal ModuleVersions(SlotIndex slots, string[] versions)
    {
        _slots = slots;
        _versions = versions;
    }

    public string this[string key] => TryGetValue(key, out var version) ? version : throw new KeyNotFoundException($"no module slot {key}");
    public IEnumerable<string> Keys => _slots.Layers;
    public IEnumerable<string> Values => _versions;
    public int Count => _versions.Length;
    public bool ContainsKey(string key) => _slots.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = _slots.IndexOf(key);
        value = index >= 0 ? _versions[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _versions.Length; i++) yield return new(_slots.Layers[i], _versions[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
