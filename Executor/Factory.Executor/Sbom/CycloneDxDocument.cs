using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Executor.Sbom;

// The part of CycloneDX 1.6 (JSON) that Factory writes, as explicit records: property names are the
// specification's, nulls are left out, and the order of properties is the order of declaration.

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

public sealed record CycloneDxMetadata
{
    /// <summary>UTC, seconds precision (yyyy-MM-ddTHH:mm:ssZ).</summary>
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("lifecycles")] public IReadOnlyList<CycloneDxLifecycle>? Lifecycles { get; init; }
    [JsonPropertyName("tools")] public CycloneDxTools? Tools { get; init; }
    [JsonPropertyName("component")] public required CycloneDxComponent Component { get; init; }
    [JsonPropertyName("properties")] public IReadOnlyList<CycloneDxProperty>? Properties { get; init; }
}

public sealed record CycloneDxLifecycle([property: JsonPropertyName("phase")] string Phase);

public sealed record CycloneDxTools([property: JsonPropertyName("components")] IReadOnlyList<CycloneDxComponent> Components);

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

public sealed record CycloneDxOrganization
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("contact")] public IReadOnlyList<CycloneDxContact>? Contact { get; init; }
}

public sealed record CycloneDxContact
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
}

/// <summary>alg is one of the schema's names (SHA-256, SHA-512, …); content is lowercase hex.</summary>
public sealed record CycloneDxHash([property: JsonPropertyName("alg")] string Alg, [property: JsonPropertyName("content")] string Content);

public sealed record CycloneDxLicenseChoice([property: JsonPropertyName("license")] CycloneDxLicense License);

/// <summary>By name only: a package's license field is free text, and an "id" must be an SPDX identifier.</summary>
public sealed record CycloneDxLicense([property: JsonPropertyName("name")] string Name);

/// <summary>type is one of the schema's enum (website, issue-tracker, support, vcs, …).</summary>
public sealed record CycloneDxExternalReference([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("url")] string Url);

public sealed record CycloneDxProperty([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("value")] string Value);
