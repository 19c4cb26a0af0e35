using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxOrganization
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("contact")] public IReadOnlyList<CycloneDxContact>? Contact { get; init; }
}
