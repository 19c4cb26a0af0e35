using Factory.Manifests;

namespace Factory.Planning;

/// <summary>One combination of a plan: a version for every slot of the template, and a platform.</summary>
public sealed record Combination(IReadOnlyDictionary<string, string> Modules, string Platform)
{
    public bool Matches(IReadOnlyDictionary<string, string> partial)
    {
        foreach (var (key, value) in partial)
        {
            var matches = key == PlanReader.PlatformKey ? Platform == value : Modules.TryGetValue(key, out var version) && version == value;
            if (!matches) return false;
        }
        return true;
    }

    public string Describe(IEnumerable<string> layers) =>
        string.Join(" ", layers.Select(l => $"{l}={Modules[l]}")) + " " + Platform;
}
