using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxProperty([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("value")] string Value);
