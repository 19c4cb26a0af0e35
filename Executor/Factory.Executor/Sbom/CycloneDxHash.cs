using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

/// <summary>alg is one of the schema's names (SHA-256, SHA-512, …); content is lowercase hex.</summary>
public sealed record CycloneDxHash([property: JsonPropertyName("alg")] string Alg, [property: JsonPropertyName("content")] string Content);
