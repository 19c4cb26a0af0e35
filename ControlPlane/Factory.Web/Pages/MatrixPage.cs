using Factory.ControlPlane.Review;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>
/// A manifest's matrix: a row per module combination, a column per platform; each cell its state (passed, failed
/// with its reason, flaky, quarantined, expired), a strip of its last results and a link to its history. The filter
/// form is a plain GET, so every filtered view has its own permalink. Rows past <c>limit</c> are left out, said so.
/// </summary>
public static class MatrixPage
{
    public const int DefaultRowLimit = 300;

    public static RawHtml Render(MatrixView matrix, MatrixQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>> slotVersions)
    {
        var html = new HtmlBuilder(64 * 1024 + matrix.Rows.Count * matrix.Platforms.Count * 400);
        html.Add($"<h1>Matrix · {matrix.ManifestId}</h1><p class=\"sub\">{matrix.Records} records · ");
        foreach (var (state, count) in matrix.Counts.Where(c => c.Value > 0)) html.Add($"{Show.Badge(state)} {count} ");
        html.Add($"· strip: the last {matrix.StripLength} results, newest first · <a href=\"{Links.Compare(matrix.ManifestId)}\">compare with an earlier state</a></p>");
        Filters(html, matrix, query, slotVersions);
        html.Add($"<p class=\"note\" id=\"flaky-rule\">{matrix.FlakinessRule} (window {matrix.Window}). A failure that never passed with the same inputs is a stable failure, not flaky.</p>");

        if (matrix.Rows.Count == 0)
        {
            html.Add($"<p class=\"note\">No cell matches.</p>");
            return html.ToHtml();
        }
        var slots = matrix.Rows.SelectMany(r => r.SlotVersions.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        html.Add($"<table class=\"matrix\"><thead><tr>");
        foreach (var slot in slots) html.Add($"<th>{slot}</th>");
        foreach (var platform in matrix.Platforms) html.Add($"<th>{platform}</th>");
        html.Add($"</tr></thead><tbody>");
        foreach (var row in matrix.Rows.Take(query.Limit))
        {
            html.Add($"<tr data-modules=\"{row.Modules}\">");
            foreach (var slot in slots) html.Add($"<td>{row.SlotVersions.GetValueOrDefault(slot)}</td>");
            foreach (var platform in matrix.Platforms)
            {
                if (!row.Cells.TryGetValue(platform, out var cell))
                {
                    html.Add($"<td class=\"cell empty\"></td>");
                    continue;
                }
                Cell(html, matrix.ManifestId, platform, row, cell);
            }
            html.Add($"</tr>");
        }
        html.Add($"</tbody></table>");
        if (matrix.Rows.Count > query.Limit)
            html.Add($"<p class=\"note\">{matrix.Rows.Count - query.Limit} more rows are not shown: filter, or <a href=\"{query.With(limit: matrix.Rows.Count)}\">show all {matrix.Rows.Count}</a>.</p>");
        return html.ToHtml();
    }

    private static void Cell(HtmlBuilder html, string manifest, string platform, MatrixRow row, MatrixCell cell)
    {
        var history = Links.Cell(manifest, platform, row.SlotVersions);
        html.Add($"<td class=\"cell\" data-state=\"{cell.State}\"><a class=\"history\" href=\"{history}\">{Show.Badge(cell.State)}</a>");
        if (cell.State == ControlPlane.Review.CellState.Flaky) html.Add($" <span class=\"reason\">{Show.Percent(cell.Flakiness.Rate)} of {cell.Flakiness.Runs} runs failed</span>");
        else if (cell.Reason is not null) html.Add($" <span class=\"reason\">{cell.Reason}</span>");
        html.Add($"<span class=\"strip\">");
        foreach (var entry in cell.Strip) html.Add($"<i class=\"s-{entry.Status}\" title=\"{entry.Status} {entry.Reason} {entry.RecordedAt:u}\"></i>");
        html.Add($"</span> <a class=\"latest\" href=\"{Links.Record(cell.BuildId)}\">latest</a></td>");
    }

    private static void Filters(HtmlBuilder html, MatrixView matrix, MatrixQuery query, IReadOnlyDictionary<string, IReadOnlyList<string>> slotVersions)
    {
        html.Add($"<form class=\"filters\" method=\"get\" action=\"{Links.Matrix(matrix.ManifestId)}\">");
        foreach (var (slot, versions) in slotVersions)
        {
            var chosen = query.Modules.GetValueOrDefault(slot);
            html.Add($"<label>{slot}<select name=\"m.{slot}\"><option value=\"\">any</option>");
            foreach (var version in versions) html.Add($"<option{Selected(version == chosen)}>{version}</option>");
            html.Add($"</select></label>");
        }
        html.Add($"<label>platform<select name=\"platform\"><option value=\"\">any</option>");
        foreach (var platform in query.KnownPlatforms) html.Add($"<option{Selected(platform == query.Platform)}>{platform}</option>");
        html.Add($"</select></label><label>status<select name=\"state\"><option value=\"\">any</option>");
        foreach (var state in ControlPlane.Review.CellState.All) html.Add($"<option{Selected(state == query.State)}>{state}</option>");
        html.Add($"</select></label><label><span><input type=\"checkbox\" name=\"hide_flaky\" value=\"true\"{(query.HideFlaky ? new RawHtml(" checked") : new RawHtml(""))}> hide flaky</span></label>");
        html.Add($"<button type=\"submit\">Filter</button> <a href=\"{Links.Matrix(matrix.ManifestId)}\">clear</a></form>");
    }

    private static RawHtml Selected(bool selected) => new(selected ? " selected" : "");
}
