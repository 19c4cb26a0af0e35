namespace Factory.Web;

/// <summary>Every page's permalink, in one place: pages link to each other only through these.</summary>
public static class Links
{
    public static string Matrix(string manifest) => $"/matrix/{Uri.EscapeDataString(manifest)}";
    public static string Compare(string manifest) => $"/compare/{Uri.EscapeDataString(manifest)}";
    public static string Record(Guid buildId) => $"/records/{buildId}";
    public static string Record(string keyOrBuildId) => $"/records/{Uri.EscapeDataString(keyOrBuildId)}";
    public static string Evidence(Guid buildId, int index, int? tail = null) =>
        tail is { } bytes ? $"/records/{buildId}/evidence/{index}?tail={bytes}" : $"/records/{buildId}/evidence/{index}";
    public static string Verify(Guid buildId) => $"/records/{buildId}/verify";
    public static string Sbom(Guid buildId) => $"/records/{buildId}/sbom";
    public static string Diff(Guid before, Guid after) => $"/records/{before}/diff/{after}";
    public static string Plan(Guid runId) => $"/plans/{runId}";
    public static string PlanEvents(Guid runId) => $"/plans/{runId}/events";

    /// <summary>One cell: a manifest's combination of module versions on one platform, across its records over time.</summary>
    public static string Cell(string manifest, string platform, IEnumerable<KeyValuePair<string, string>> modules) =>
        $"/cell?manifest={Uri.EscapeDataString(manifest)}&platform={Uri.EscapeDataString(platform)}&modules={Uri.EscapeDataString(CellModules(modules))}";

    /// <summary>slot=version,... in slot order: the modules part of a cell's permalink.</summary>
    public static string CellModules(IEnumerable<KeyValuePair<string, string>> modules) =>
        string.Join(",", modules.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));
}
