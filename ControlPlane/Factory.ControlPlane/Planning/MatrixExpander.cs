using Factory.Contracts.Manifests;
using Factory.Manifests;

namespace Factory.ControlPlane.Planning;

/// <summary>One combination of a plan: a version for every slot of the template, and a platform.</summary>
public sealed record Combination(IReadOnlyDictionary<string, string> Modules, string Platform)
{
    public bool Matches(IReadOnlyDictionary<string, string> partial) =>
        partial.All(p => p.Key == PlanReader.PlatformKey ? Platform == p.Value : Modules.TryGetValue(p.Key, out var v) && v == p.Value);

    public string Describe(IEnumerable<string> layers) =>
        string.Join(" ", layers.Select(l => $"{l}={Modules[l]}")) + " " + Platform;
}

/// <summary>
/// Expands a plan like a CI matrix: the cartesian product of the matrix's versions (slots not in the matrix
/// take the manifest's version) times the platforms; then every exclude entry removes the combinations it
/// matches; then every include entry adds its combination (missing slots from the manifest, a missing
/// platform meaning each of the plan's platforms) unless it is already there. Order is deterministic.
/// </summary>
public static class MatrixExpander
{
    public static IReadOnlyList<Combination> Expand(Plan plan, ManifestStore store)
    {
        var entry = store.Entries[plan.Manifest];
        var template = store.Templates[entry.Template];
        var platforms = plan.Platforms ?? entry.Platforms;

        IEnumerable<Dictionary<string, string>> product = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var slot in template.Layers)
        {
            var versions = plan.Matrix.TryGetValue(slot, out var listed) ? listed : [entry.Modules[slot]];
            product = product.SelectMany(partial => versions.Select(v => new Dictionary<string, string>(partial, StringComparer.Ordinal) { [slot] = v })).ToList();
        }

        var combinations = product
            .SelectMany(modules => platforms.Select(p => new Combination(modules, p)))
            .Where(c => !plan.Exclude.Any(c.Matches))
            .ToList();

        foreach (var include in plan.Include)
        {
            var modules = template.Layers.ToDictionary(l => l, l => include.TryGetValue(l, out var v) ? v : entry.Modules[l], StringComparer.Ordinal);
            var includePlatforms = include.TryGetValue(PlanReader.PlatformKey, out var p) ? [p] : platforms;
            foreach (var platform in includePlatforms)
            {
                var candidate = new Combination(modules, platform);
                if (!combinations.Any(c => c.Matches(candidate.Modules) && c.Platform == platform)) combinations.Add(candidate);
            }
        }

        if (combinations.Count == 0)
            throw new InvalidInputException(plan.Source, "exclude", "the plan expands to no combinations: every combination of matrix × platforms is excluded");
        return combinations;
    }
}
