using Factory.Contracts.Manifests;
using Factory.Manifests;

namespace Factory.Planning;

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
    private const string NoCombinations = "the plan expands to no combinations: every combination of matrix × platforms is excluded";

    public static IReadOnlyList<Combination> Expand(Plan plan, ManifestStore store)
    {
        var combinations = new List<Combination>();
        combinations.AddRange(Enumerate(plan, store));
        if (combinations.Count == 0) throw new InvalidInputException(plan.Source, "exclude", NoCombinations);
        return combinations;
    }

    /// <summary>
    /// The combinations one at a time, in Expand's order, holding none of them: the product is walked like an
    /// odometer, and an include is "already there" when the product has it and no exclude removes it, which is
    /// decided from the axes rather than by searching what came before. Yields nothing when all are excluded.
    /// </summary>
    public static IEnumerable<Combination> Enumerate(Plan plan, ManifestStore store)
    {
        var shape = ShapeOf(plan, store);
        return Product(plan, shape).Concat(Included(plan, shape));
    }

    /// <summary>
    /// How many combinations the plan has and the platforms they use (in order of first use), without holding
    /// them: counted from the axes when nothing is excluded, else by walking them. No combinations is bad input.
    /// </summary>
    public static (long Count, IReadOnlyList<string> Platforms) Measure(Plan plan, ManifestStore store)
    {
        var shape = ShapeOf(plan, store);
        var (count, platforms) = (0L, new List<string>());
        void Count(Combination combination)
        {
            count++;
            if (!platforms.Contains(combination.Platform)) platforms.Add(combination.Platform);
        }

        if (plan.Exclude.Count > 0)
            foreach (var combination in Product(plan, shape)) Count(combination);
        else if (shape.Platforms.Length > 0 && shape.Axes.All(versions => versions.Length > 0))
        {
            try { count = shape.Axes.Aggregate((long)shape.Platforms.Length, (product, versions) => checked(product * versions.Length)); }
            catch (OverflowException) { throw new InvalidInputException(plan.Source, "matrix", "the plan expands to more combinations than can be counted"); }
            platforms.AddRange(shape.Platforms);
        }
        foreach (var combination in Included(plan, shape)) Count(combination);
        if (count == 0) throw new InvalidInputException(plan.Source, "exclude", NoCombinations);
        return (count, platforms);
    }

    /// <summary>
    /// The module versions (name, version) the plan's combinations use, in layer order: what the immutability
    /// check needs to look up, rather than every module ever recorded. Without excludes these are the axes'
    /// versions and the includes', read off the plan; excludes may drop a version, so then the combinations are walked.
    /// </summary>
    public static IReadOnlyList<(string Name, string Version)> ModulesUsed(Plan plan, ManifestStore store)
    {
        var shape = ShapeOf(plan, store);
        var layers = shape.Slots.Layers;
        var used = new HashSet<(string Name, string Version)>();
        IReadOnlyDictionary<string, string>? previous = null;
        void Use(Combination combination)
        {
            // The platforms of one module tuple share its versions: look at them once.
            if (ReferenceEquals(combination.Modules, previous)) return;
            previous = combination.Modules;
            foreach (var slot in layers) used.Add((slot, combination.Modules[slot]));
        }

        if (plan.Exclude.Count > 0)
            foreach (var combination in Product(plan, shape)) Use(combination);
        else if (shape.Platforms.Length > 0 && shape.Axes.All(versions => versions.Length > 0))
            for (var i = 0; i < layers.Count; i++)
                foreach (var version in shape.Axes[i]) used.Add((layers[i], version));
        foreach (var combination in Included(plan, shape)) Use(combination);
        return used.OrderBy(m => shape.Slots.IndexOf(m.Name)).ThenBy(m => m.Version, StringComparer.Ordinal).ToList();
    }

    private static (ManifestEntry Entry, SlotIndex Slots, string[] Platforms, string[][] Axes) ShapeOf(Plan plan, ManifestStore store)
    {
        var entry = store.Entries[plan.Manifest];
        var template = store.Templates[entry.Template];
        var platforms = (plan.Platforms ?? entry.Platforms).Distinct(StringComparer.Ordinal).ToArray();
        var axes = template.Layers
            .Select(slot => plan.Matrix.TryGetValue(slot, out var listed) ? listed.Distinct(StringComparer.Ordinal).ToArray() : [entry.Modules[slot]])
            .ToArray();
        return (entry, new SlotIndex(template.Layers), platforms, axes);
    }

    private static bool Excluded(Plan plan, Combination combination)
    {
        foreach (var exclude in plan.Exclude)
            if (combination.Matches(exclude)) return true;
        return false;
    }

    /// <summary>The product of the axes times the platforms, less what is excluded; one version array per module tuple.</summary>
    private static IEnumerable<Combination> Product(Plan plan, (ManifestEntry Entry, SlotIndex Slots, string[] Platforms, string[][] Axes) shape)
    {
        var axes = shape.Axes;
        if (shape.Platforms.Length == 0 || !axes.All(versions => versions.Length > 0)) yield break;
        var position = new int[axes.Length];
        while (true)
        {
            var versions = new string[axes.Length];
            for (var i = 0; i < axes.Length; i++) versions[i] = axes[i][position[i]];
            var modules = new ModuleVersions(shape.Slots, versions);
            foreach (var platform in shape.Platforms)
            {
                var combination = new Combination(modules, platform);
                if (!Excluded(plan, combination)) yield return combination;
            }
            var turning = axes.Length - 1;
            while (turning >= 0 && ++position[turning] == axes[turning].Length) position[turning--] = 0;
            if (turning < 0) yield break;
        }
    }

    /// <summary>The includes that are not in the product already, each once.</summary>
    private static IEnumerable<Combination> Included(Plan plan, (ManifestEntry Entry, SlotIndex Slots, string[] Platforms, string[][] Axes) shape)
    {
        var included = new HashSet<string>(StringComparer.Ordinal);
        foreach (var include in plan.Include)
        {
            var versions = shape.Slots.Layers.Select(l => include.TryGetValue(l, out var v) ? v : shape.Entry.Modules[l]).ToArray();
            var modules = new ModuleVersions(shape.Slots, versions);
            var includePlatforms = include.TryGetValue(PlanReader.PlatformKey, out var p) ? [p] : shape.Platforms;
            foreach (var platform in includePlatforms)
            {
                var candidate = new Combination(modules, platform);
                var inProduct = shape.Platforms.Contains(platform) && versions.Select((v, i) => shape.Axes[i].Contains(v)).All(listed => listed) && !Excluded(plan, candidate);
                if (!inProduct && included.Add(string.Join('\n', versions.Append(platform)))) yield return candidate;
            }
        }
    }
}
