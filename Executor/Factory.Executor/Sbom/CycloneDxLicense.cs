using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

/// <summary>By name only: a package's license field is free text, and an "id" must be an SPDX identifier.</summary>
public sealed record CycloneDxLicense([property: JsonPropertyName("name")] string Name);
