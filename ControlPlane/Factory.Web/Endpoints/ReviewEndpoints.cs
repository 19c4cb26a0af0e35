using Factory.ControlPlane.Review;
using Factory.ControlPlane.Runs;
using Factory.Manifests;
using Factory.Web.Html;
using Factory.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Web.Endpoints;

/// <summary>The reviewer's pages over the review domain (ReviewQueries): matrix, compare, cell history.</summary>
internal static class ReviewEndpoints
{
    public static void MapReviewPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/matrix/{manifest}", (string manifest, HttpContext context, ReviewQueries review, WebUiOptions options, CancellationToken ct) =>
            BadInputAsPage(async () =>
            {
                var shape = ManifestShape.Of(context.RequestServices.GetService<IManifestSource>(), manifest);
                var query = MatrixQuery.From(manifest, context.Request.Query, shape.Platforms);
                var matrix = await review.MatrixAsync(manifest, options.Strip, options.FlakeWindow, query.Filter, ct);
                var known = query with { KnownPlatforms = shape.Platforms.Union(matrix.Platforms).Order(StringComparer.Ordinal).ToList() };
                return PageLayout.Page($"Matrix {manifest}", MatrixPage.Render(matrix, known, shape.SlotVersions(matrix)));
            })).ExcludeFromDescription();

        app.MapGet("/compare/{manifest}", (string manifest, string? before, string? after, string? before_plan, string? after_plan, string? tab,
            ReviewQueries review, IPlanStateStore state, CancellationToken ct) => BadInputAsPage(async () =>
            {
                var runs = (await state.ListRunsAsync(50, ct)).Where(r => r.ManifestId == manifest).ToList();
                // Hydra's default: against the matrix as it stood when the previous plan run of this manifest completed.
                before ??= before_plan is null ? runs.Skip(1).FirstOrDefault(r => r.CompletedAt is not null)?.Id.ToString() ?? "1d" : null;
                var was = await review.SideAsync(before, before_plan, "request", "before", ct);
                var now = await review.SideAsync(after, after_plan, "request", "after", ct);
                var comparison = await review.CompareAsync(manifest, was, now, ct);
                var query = new CompareQuery(manifest, before, after, before_plan, after_plan, ComparePage.Tab(tab));
                return PageLayout.Page($"Compare {manifest}", ComparePage.Render(comparison, query, runs));
            })).ExcludeFromDescription();

        app.MapGet("/cell", (string? manifest, string? platform, string? modules, ReviewQueries review, WebUiOptions options, CancellationToken ct) =>
            BadInputAsPage(async () =>
            {
                if (string.IsNullOrWhiteSpace(manifest) || string.IsNullOrWhiteSpace(platform))
                    throw new InvalidInputException("request", "manifest", "a cell is named by manifest=ID&platform=P&modules=slot=version,...");
                var cell = new CellId(manifest, CellId.Combination(ModuleChoice.Parse(modules, "request", "modules")), platform);
                var history = await review.HistoryAsync(cell, options.FlakeWindow, ct);
                return PageLayout.Page($"{manifest} {platform} history", CellHistoryPage.Render(history));
            })).ExcludeFromDescription();
    }

    /// <summary>Bad query input is a 400 page naming the parameter and what it expects.</summary>
    private static async Task<IResult> BadInputAsPage(Func<Task<IResult>> page)
    {
        try
        {
            return await page();
        }
        catch (InvalidInputException ex)
        {
            var html = new HtmlBuilder().Add($"<h1>Bad request</h1><ul>");
            foreach (var error in ex.Errors) html.Add($"<li><b>{(error.Field.Length > 0 ? error.Field : error.File)}</b>: {error.Message}</li>");
            return Results.Content(PageLayout.Render("Bad request", html.Add($"</ul>").ToHtml()), "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
