using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxDocument
{
    [JsonPropertyName("bomFormat")] public string BomFormat { get; init; } = "CycloneDX";
    [JsonPropertyName("specVersion")] public string SpecVersion { get; init; } = "1.6";
    /// <summary>urn:uuid:… (RFC 4122), new for every generation even when nothing else changed.</summary>
    [JsonPropertyName("serialNumber")] public required string SerialNumber { get; init; }
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    [JsonPropertyName("metadata")] public required CycloneDxMetadata Metadata { get; init; }
    [JsonPropertyName("components")] public required IReadOnlyList<CycloneDxComponent> Components { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // An evidence file, never embedded in HTML: keep '+' and '<' readable in versions and e-mail addresses.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);
}
