using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxComponent
{
    /// <summary>application, library, container, operating-system, … (the schema's enum).</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("bom-ref")] public string? BomRef { get; init; }
    [JsonPropertyName("supplier")] public CycloneDxOrganization? Supplier { get; init; }
    [JsonPropertyName("group")] public string? Group { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("hashes")] public IReadOnlyList<CycloneDxHash>? Hashes { get; init; }
    [JsonPropertyName("licenses")] public IReadOnlyList<CycloneDxLicenseChoice>? Licenses { get; init; }
    [JsonPropertyName("purl")] public string? Purl { get; init; }
    [JsonPropertyName("externalReferences")] public IReadOnlyList<CycloneDxExternalReference>? ExternalReferences { get; init; }
    [JsonPropertyName("properties")] public IReadOnlyList<CycloneDxProperty>? Properties { get; init; }
}
