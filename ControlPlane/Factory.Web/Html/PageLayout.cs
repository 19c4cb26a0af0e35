using Microsoft.AspNetCore.Http;

namespace Factory.Web.Html;

/// <summary>The shell every page shares: head with the shipped stylesheet and script, the navigation, the main part.</summary>
public static class PageLayout
{
    public static string Render(string title, RawHtml main, string? section = null)
    {
        var page = new HtmlBuilder(main.Value.Length + 1024);
        page.Add($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Factory</title>
            <link rel="stylesheet" href="{WebAssets.Url("factory.css")}"><script defer src="{WebAssets.Url("factory.js")}"></script>
            </head><body><header><nav><a class="brand" href="/">Factory</a>{Nav("Plans", "/plans", section)}{Nav("Fleet", "/fleet", section)}{Nav("Audit", "/audit", section)}</nav></header>
            <main>{main}</main></body></html>
            """);
        return page.ToString();
    }

    public static IResult Page(string title, RawHtml main, string? section = null) =>
        Results.Content(Render(title, main, section), "text/html; charset=utf-8");

    public static IResult Page(string title, HtmlBuilder main, string? section = null) => Page(title, main.ToHtml(), section);

    /// <summary>A fragment loaded into a page (a log tail, an SBOM summary, a verification).</summary>
    public static IResult Fragment(HtmlBuilder fragment, int status = StatusCodes.Status200OK) =>
        Results.Content(fragment.ToString(), "text/html; charset=utf-8", statusCode: status);

    public static IResult NotFound(string title, string message)
    {
        var main = new HtmlBuilder().Add($"<h1>{title}</h1><p>{message}</p><p><a href=\"/\">Back to the start page</a></p>");
        return Results.Content(Render(title, main.ToHtml()), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    private static RawHtml Nav(string label, string href, string? section)
    {
        var link = new HtmlBuilder(64);
        if (section == label) link.Add($"<a href=\"{href}\" aria-current=\"page\">{label}</a>");
        else link.Add($"<a href=\"{href}\">{label}</a>");
        return link.ToHtml();
    }
}
