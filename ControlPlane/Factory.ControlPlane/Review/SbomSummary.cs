using System.Text.Json;

namespace Factory.ControlPlane.Review;

/// <summary>
/// The components of a CycloneDX JSON document and how many there are of each type (library, operating-system,
/// container, …). Components nested under others are included. Malformed JSON throws <see cref="JsonException"/>.
/// </summary>
public sealed record SbomSummary(IReadOnlyList<SbomComponent> Components, IReadOnlyDictionary<string, int> ByType)
{
    public static SbomSummary Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var components = new List<SbomComponent>();
        if (document.RootElement.TryGetProperty("components", out var list)) Collect(list, components);
        var byType = components.GroupBy(c => c.Type).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new SbomSummary(components, byType);
    }

    private static void Collect(JsonElement list, List<SbomComponent> into)
    {
        if (list.ValueKind != JsonValueKind.Array) return;
        foreach (var c in list.EnumerateArray())
        {
            into.Add(new SbomComponent(Text(c, "type") ?? "unknown", Text(c, "name") ?? "", Text(c, "version"), Text(c, "purl")));
            if (c.TryGetProperty("components", out var nested)) Collect(nested, into);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
