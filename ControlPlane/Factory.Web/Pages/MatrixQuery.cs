using Factory.ControlPlane.Review;
using Microsoft.AspNetCore.Http;

namespace Factory.Web.Pages;

/// <summary>
/// A matrix page's query string: m.SLOT=VERSION for each module filter (or modules=slot=version,...), platform,
/// state, hide_flaky, limit (rows shown). Read here once, and written back for links that change one part.
/// </summary>
public sealed record MatrixQuery(string Manifest, IReadOnlyDictionary<string, string> Modules, string? Platform, string? State, bool HideFlaky, int Limit,
    IReadOnlyList<string> KnownPlatforms)
{
    public MatrixFilter Filter => new(Modules.Count == 0 ? null : Modules, Platform, State, HideFlaky);

    public static MatrixQuery From(string manifest, IQueryCollection query, IReadOnlyList<string> knownPlatforms)
    {
        var modules = new Dictionary<string, string>(ModuleChoice.Parse(query["modules"], "request", "modules"), StringComparer.Ordinal);
        foreach (var (name, value) in query)
            if (name.StartsWith("m.", StringComparison.Ordinal) && !string.IsNullOrEmpty(value)) modules[name[2..]] = value!;
        var state = Blank(query["state"]);
        if (state is not null && !CellState.All.Contains(state))
            throw new Manifests.InvalidInputException("request", "state", $"expected one of {string.Join(", ", CellState.All)}, found '{state}'");
        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? l : MatrixPage.DefaultRowLimit;
        return new MatrixQuery(manifest, modules, Blank(query["platform"]), state, query["hide_flaky"] == "true", limit, knownPlatforms);
    }

    public string With(int? limit = null)
    {
        var parts = Modules.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"m.{Uri.EscapeDataString(m.Key)}={Uri.EscapeDataString(m.Value)}").ToList();
        if (Platform is not null) parts.Add($"platform={Uri.EscapeDataString(Platform)}");
        if (State is not null) parts.Add($"state={State}");
        if (HideFlaky) parts.Add("hide_flaky=true");
        parts.Add($"limit={limit ?? Limit}");
        return $"{Links.Matrix(Manifest)}?{string.Join("&", parts)}";
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
