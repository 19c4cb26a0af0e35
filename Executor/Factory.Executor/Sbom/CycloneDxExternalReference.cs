using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

/// <summary>type is one of the schema's enum (website, issue-tracker, support, vcs, …).</summary>
public sealed record CycloneDxExternalReference([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("url")] string Url);
