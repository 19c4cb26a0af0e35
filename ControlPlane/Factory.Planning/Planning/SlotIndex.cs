namespace Factory.Planning;

/// <summary>The layers of one template and where each sits in a combination's version array (see ModuleVersions).</summary>
internal sealed class SlotIndex(IReadOnlyList<string> layers)
{
    private readonly Dictionary<string, int> _index = layers.Select((slot, i) => (slot, i)).ToDictionary(p => p.slot, p => p.i, StringComparer.Ordinal);

    public IReadOnlyList<string> Layers { get; } = layers;

    public int IndexOf(string slot) => _index.TryGetValue(slot, out var index) ? index : -1;
}
