using System.Security.Cryptography;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Manifests;

namespace Factory.Planning;

/// <summary>
/// The identity of what a manifest says, for provenance: "sha256:" + hex sha256 of the compact JSON
/// {"entry": &lt;store entry&gt;, "template": &lt;template&gt;} in Factory's snake_case JSON with module slots in ordinal order.
/// </summary>
public static class ManifestHash
{
    private static readonly JsonSerializerOptions Compact = new(FactoryJson.Options) { WriteIndented = false };

    public static string Compute(ManifestEntry entry, Template template)
    {
        var canonical = new
        {
            entry = entry with { Modules = new SortedDictionary<string, string>(entry.Modules.ToDictionary(), StringComparer.Ordinal) },
            template,
        };
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, Compact)));
    }
}
