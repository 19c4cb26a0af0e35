using System.Text.RegularExpressions;
using Factory.Manifests;

namespace Factory.Planning;

/// <summary>Which pool serves a platform and accelerator (linux/amd64 → amd64, linux/arm64 → arm64, gpu → gpu).</summary>
public sealed partial class PoolCatalog(IReadOnlyList<PoolDefinition> pools)
{
    public static PoolCatalog Default { get; } = new([
        new("amd64", "linux/amd64"),
        new("arm64", "linux/arm64"),
        new("gpu", "linux/amd64", "gpu"),
    ]);

    public IReadOnlyList<PoolDefinition> Pools { get; } = pools;

    public PoolDefinition? For(string platform, string? accelerator) =>
        Pools.FirstOrDefault(p => p.Platform == platform && p.Accelerator == accelerator);

    public PoolDefinition? Named(string name) => Pools.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// The catalog a control plane routes with: ControlPlane:Pools when any are configured (they replace the default,
    /// e.g. a simulation fleet sends linux/amd64 to pool sim), else <see cref="Default"/>. An unusable entry is an
    /// <see cref="InvalidInputException"/> naming its field.
    /// </summary>
    public static PoolCatalog From(IReadOnlyList<PoolDefinition>? configured)
    {
        if (configured is null || configured.Count == 0) return Default;
        var errors = new List<InputError>();
        for (var i = 0; i < configured.Count; i++)
        {
            var (pool, field) = (configured[i], $"ControlPlane:Pools:{i}");
            if (pool.Name is null || !PoolName().IsMatch(pool.Name))
                errors.Add(new("configuration", $"{field}:Name", $"expected a pool name of lowercase letters, digits and '-' (its queue is wq-<name>), found {Names.Quote(pool.Name ?? "")}"));
            else if (configured.Take(i).Any(p => p.Name == pool.Name))
                errors.Add(new("configuration", $"{field}:Name", $"pool {pool.Name} is configured twice"));
            if (pool.Platform is null || !Platform().IsMatch(pool.Platform))
                errors.Add(new("configuration", $"{field}:Platform", $"expected os/architecture such as linux/amd64, found {Names.Quote(pool.Platform ?? "")}"));
            else if (configured.Take(i).Any(p => p.Platform == pool.Platform && p.Accelerator == pool.Accelerator))
                errors.Add(new("configuration", $"{field}:Platform", $"{pool.Platform}{(pool.Accelerator is null ? "" : " with " + pool.Accelerator)} already goes to another pool"));
        }
        if (errors.Count > 0) throw new InvalidInputException(errors);
        return new PoolCatalog(configured.Select(p => p with { Accelerator = string.IsNullOrEmpty(p.Accelerator) ? null : p.Accelerator }).ToList());
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex PoolName();

    [GeneratedRegex("^[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?$")]
    private static partial Regex Platform();
}
