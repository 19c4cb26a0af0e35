using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxTools([property: JsonPropertyName("components")] IReadOnlyList<CycloneDxComponent> Components);
