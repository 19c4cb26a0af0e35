using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

public sealed record CycloneDxLifecycle([property: JsonPropertyName("phase")] string Phase);
