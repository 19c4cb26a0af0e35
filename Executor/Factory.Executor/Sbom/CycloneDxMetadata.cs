using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxMetadata
{
    /// <summary>UTC, seconds precision (yyyy-MM-ddTHH:mm:ssZ).</summary>
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("lifecycles")] public IReadOnlyList<CycloneDxLifecycle>? Lifecycles { get; init; }
    [JsonPropertyName("tools")] public CycloneDxTools? Tools { get; init; }
    [JsonPropertyName("component")] public required CycloneDxComponent Component { get; init; }
    [JsonPropertyName("properties")] public IReadOnlyList<CycloneDxProperty>? Properties { get; init; }
}
