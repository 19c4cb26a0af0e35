using Factory.ControlPlane.Runs;
using Factory.Manifests;
using Factory.Web.Html;
using Factory.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Web.Endpoints;

internal static class HomeEndpoints
{
    public static void MapHomePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext context, IPlanStateStore state, CancellationToken ct) =>
        {
            var manifests = context.RequestServices.GetService<IManifestSource>() is { } source ? Manifests(source) : [];
            return PageLayout.Page("Factory", HomePage.Render(manifests, await state.ListRunsAsync(10, ct)));
        }).ExcludeFromDescription();
        app.MapGet("/plans", async (IPlanStateStore state, CancellationToken ct) =>
            PageLayout.Page("Plans", PlansPage.Render(await state.ListRunsAsync(200, ct)), "Plans")).ExcludeFromDescription();
    }

    private static IReadOnlyList<string> Manifests(IManifestSource source)
    {
        try
        {
            return source.Current().Entries.Keys.Order(StringComparer.Ordinal).ToList();
        }
        catch (InvalidInputException)
        {
            // The store does not validate right now: the pages of records already made still work.
            return [];
        }
    }
}
