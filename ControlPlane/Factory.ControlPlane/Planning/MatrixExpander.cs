using Factory.Contracts.Manifests;
using Factory.Manifests;

namespace Factory.ControlPlane.Planning;

/// <summary>
/// Expands a plan like a CI matrix: the cartesian product of the matrix's versions (slots not in the matrix
/// take the manifest's version) times the platforms; then every exclude entry removes the combinations it
/// matches; then every include entry adds its combination (missing slots from the manifest, a missing
/// platform meaning each of the plan's platforms) unless it is already there. A plan without a matrix is the
/// manifest as it stands: the manifest's versions on each platform. Combinations are distinct (a version or
/// platform listed twice counts once) and their order is deterministic: layers nest in template order, versions
/// and platforms keep the order the plan lists them in, platforms innermost.
/// </summary>
public static class MatrixExpander
{
    public static IReadOnlyList<Combination> Expand(Plan plan, ManifestStore store)
    {
        var combinations = new List<Combination>();
        combinations.AddRange(Enumerate(plan, store));
        if (combinations.Count == 0)
            throw new InvalidInputException(plan.Source, "exclude", "the plan expands to no combinations: every combination of matrix × platforms is excluded");
        return combinations;
    }

    /// <summary>
    /// The module versions (name, version) the plan's combinations use, in layer order: what the immutability
    /// check needs to look up, rather than every module ever recorded. Without excludes these are the axes'
    /// versions and the includes', read off the plan; excludes may drop a version, so then the combinations are walked.
    /// </summary>
    public static IReadOnlyList<(string Name, string Version)> ModulesUsed(Plan plan, ManifestStore store)
    {
        var layers = store.Templates[store.Entries[plan.Manifest].Template].Layers;
        var used = new HashSet<(string Name, string Version)>();
        if (plan.Exclude.Count == 0)
        {
            var entry = store.Entries[plan.Manifest];
            var axes = layers.Select(slot => plan.Matrix.TryGetValue(slot, out var listed) ? listed : [entry.Modules[slot]]).ToList();
            if (axes.All(versions => versions.Count > 0))
                for (var i = 0; i < layers.Count; i++)
                    foreach (var version in axes[i]) used.Add((layers[i], version));
            foreach (var include in plan.Include)
                foreach (var slot in layers)
                    used.Add((slot, include.TryGetValue(slot, out var version) ? version : entry.Modules[slot]));
        }
        else
        {
            IReadOnlyDictionary<string, string>? previous = null;
            foreach (var combination in Enumerate(plan, store))
            {
                // The platforms of one module tuple share its versions: look at them once.
                if (ReferenceEquals(combination.Modules, previous)) continue;
                previous = combination.Modules;
                foreach (var slot in layers) used.Add((slot, combination.Modules[slot]));
            }
        }
        return used.OrderBy(m => IndexOf(layers, m.Name)).ThenBy(m => m.Version, StringComparer.Ordinal).ToList();
    }

    private static int IndexOf(IReadOnlyList<string> layers, string slot)
    {
        for (var i = 0; i < layers.Count; i++)
            if (layers[i] == slot) return i;
        return -1;
    }

    /// <summary>
    /// The combinations one at a time, in Expand's order, without holding the product: the product is walked
    /// like an odometer, and an include is "already there" when the product has it and no exclude removes it,
    /// which is decided from the axes rather than by searching what came before. Yields nothing when all are excluded.
    /// </summary>
    public static IEnumerable<Combination> Enumerate(Plan plan, ManifestStore store)
    {
        var entry = store.Entries[plan.Manifest];
        var template = store.Templates[entry.Template];
        var slots = new SlotIndex(template.Layers);
        var platforms = (plan.Platforms ?? entry.Platforms).Distinct(StringComparer.Ordinal).ToArray();
        var axes = template.Layers
            .Select(slot => plan.Matrix.TryGetValue(slot, out var listed) ? listed.Distinct(StringComparer.Ordinal).ToArray() : [entry.Modules[slot]])
            .ToArray();

        bool Excluded(Combination combination)
        {
            foreach (var exclude in plan.Exclude)
                if (combination.Matches(exclude)) return true;
            return false;
        }

        if (platforms.Length > 0 && axes.All(versions => versions.Length > 0))
        {
            var position = new int[axes.Length];
            while (true)
            {
                var versions = new string[axes.Length];
                for (var i = 0; i < axes.Length; i++) versions[i] = axes[i][position[i]];
                var modules = new ModuleVersions(slots, versions);
                foreach (var platform in platforms)
                {
                    var combination = new Combination(modules, platform);
                    if (!Excluded(combination)) yield return combination;
                }
                var turning = axes.Length - 1;
                while (turning >= 0 && ++position[turning] == axes[turning].Length) position[turning--] = 0;
                if (turning < 0) break;
            }
        }

        var included = new HashSet<string>(StringComparer.Ordinal);
        foreach (var include in plan.Include)
        {
            var versions = template.Layers.Select(l => include.TryGetValue(l, out var v) ? v : entry.Modules[l]).ToArray();
            var modules = new ModuleVersions(slots, versions);
            var includePlatforms = include.TryGetValue(PlanReader.PlatformKey, out var p) ? [p] : platforms;
            foreach (var platform in includePlatforms)
            {
                var candidate = new Combination(modules, platform);
                var inProduct = platforms.Contains(platform) && versions.Select((v, i) => axes[i].Contains(v)).All(listed => listed) && !Excluded(candidate);
                if (!inProduct && included.Add(string.Join('\n', versions.Append(platform)))) yield return candidate;
            }
        }
    }
}
