namespace Factory.ControlPlane.Planning;

public sealed record PoolDefinition(string Name, string Platform, string? Accelerator = null);

/// <summary>Which pool serves a platform and accelerator (linux/amd64 → amd64, linux/arm64 → arm64, gpu → gpu).</summary>
public sealed class PoolCatalog(IReadOnlyList<PoolDefinition> pools)
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
}
