using Factory.ControlPlane.Review;
using Factory.ControlPlane.Runs;
using Factory.Manifests;

namespace Factory.Web.Pages;

/// <summary>
/// What the manifest store says a manifest can have (its platforms, each slot's released versions), for the matrix
/// filters; empty when there is no store here or it does not validate, and the matrix's own rows fill in.
/// </summary>
public sealed record ManifestShape(IReadOnlyList<string> Platforms, IReadOnlyDictionary<string, IReadOnlyList<string>> Versions)
{
    private static readonly ManifestShape Unknown = new([], new Dictionary<string, IReadOnlyList<string>>());

    public static ManifestShape Of(IManifestSource? source, string manifest)
    {
        if (source is null) return Unknown;
        try
        {
            var store = source.Current();
            if (!store.Entries.TryGetValue(manifest, out var entry) || !store.Templates.TryGetValue(entry.Template, out var template)) return Unknown;
            return new ManifestShape(entry.Platforms, template.Layers.ToDictionary(slot => slot, slot => (IReadOnlyList<string>)store.VersionsOf(slot).ToList()));
        }
        catch (InvalidInputException)
        {
            return Unknown;
        }
    }

    /// <summary>Each slot's versions: released ones and those the matrix has records of.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SlotVersions(MatrixView matrix)
    {
        var seen = matrix.Rows.SelectMany(r => r.SlotVersions).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => p.Value));
        return Versions.Keys.Union(seen.Keys).Order(StringComparer.Ordinal).ToDictionary(slot => slot,
            slot => (IReadOnlyList<string>)Versions.GetValueOrDefault(slot, []).Union(seen.GetValueOrDefault(slot, [])).Order(StringComparer.Ordinal).ToList());
    }
}
