namespace Factory.ControlPlane.Review;

/// <summary>
/// Two SBOMs compared by component identity (<see cref="SbomComponent.Identity"/>): components only in the second
/// (added), only in the first (removed), and in both with other versions (changed). Sorted by identity.
/// </summary>
public sealed record SbomDiff(IReadOnlyList<SbomComponent> Added, IReadOnlyList<SbomComponent> Removed, IReadOnlyList<VersionChange> Changed, int Unchanged)
{
    public static SbomDiff Between(SbomSummary before, SbomSummary after)
    {
        var was = Index(before);
        var now = Index(after);
        var added = now.Where(c => !was.ContainsKey(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value[0]).ToList();
        var removed = was.Where(c => !now.ContainsKey(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value[0]).ToList();
        var changed = new List<VersionChange>();
        var unchanged = 0;
        foreach (var identity in was.Keys.Where(now.ContainsKey).Order(StringComparer.Ordinal))
        {
            var (from, to) = (Versions(was[identity]), Versions(now[identity]));
            if (from == to) unchanged++;
            else changed.Add(new VersionChange(now[identity][0].Type, now[identity][0].Name, from, to));
        }
        return new SbomDiff(added, removed, changed, unchanged);
    }

    private static Dictionary<string, List<SbomComponent>> Index(SbomSummary summary) =>
        summary.Components.GroupBy(c => c.Identity, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    /// <summary>One identity may appear in several versions (two copies of a library): compared as a set.</summary>
    private static string? Versions(List<SbomComponent> components)
    {
        var versions = components.Select(c => c.Version).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        return versions.Count == 0 ? null : string.Join(", ", versions);
    }
}
