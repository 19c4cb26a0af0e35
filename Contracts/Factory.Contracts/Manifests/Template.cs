namespace Factory.Contracts.Manifests;

/// <summary>manifests/templates/&lt;id&gt;.yaml: ordered module slots on a base image.</summary>
public sealed record Template
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Base { get; init; }
    public required IReadOnlyList<string> Layers { get; init; }
    public required string Tests { get; init; }
    public TemplateLimits Limits { get; init; } = new();
    public required string Owner { get; init; }
}
