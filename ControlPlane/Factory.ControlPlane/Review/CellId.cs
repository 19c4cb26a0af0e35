using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// One cell of a manifest's matrix: a module combination on a platform. Its records span base digests, template
/// versions and test suites (each of which makes a new key), so a cell is named by what a reviewer chose, not by a key.
/// <see cref="Modules"/> is canonical: "slot=version" pairs in ordinal slot order, joined by commas.
/// </summary>
public sealed record CellId(string ManifestId, string Modules, string Platform)
{
    public static CellId Of(RecordFacts record) => new(record.ManifestId, Combination(record.Modules), record.Platform);

    public static string Combination(IEnumerable<ModuleSelection> modules) =>
        Combination(modules.Select(m => KeyValuePair.Create(m.Slot, m.Version)));

    public static string Combination(IEnumerable<KeyValuePair<string, string>> slotVersions) =>
        string.Join(",", slotVersions.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));

    /// <summary>The slot → version pairs of a canonical combination.</summary>
    public IReadOnlyDictionary<string, string> SlotVersions =>
        Modules.Length == 0 ? new Dictionary<string, string>() : Modules.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
