namespace Factory.Contracts.Manifests;

/// <summary>An entry of manifests/store.yaml: a template with a default module version per slot.</summary>
public sealed record ManifestEntry
{
    public required string Id { get; init; }
    public required string Template { get; init; }
    public required IReadOnlyDictionary<string, string> Modules { get; init; }
    public required IReadOnlyList<string> Platforms { get; init; }
    public string? Accelerator { get; init; }
}
