using Factory.ControlPlane.Access;
using Factory.Web.Html;
using Factory.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Web.Access;

/// <summary>/signin and /signout for browsers; /audit, the audit log page (operator).</summary>
internal static class SignInEndpoints
{
    public static string SignInUrl(HttpRequest request) => $"/signin?return={Uri.EscapeDataString(request.Path + request.QueryString)}";

    public static void MapAccessPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (string? @return) => PageLayout.Page("Sign in", SignInPage.Render(LocalPath(@return), null))).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", async (HttpRequest request, ApiTokens tokens, CancellationToken ct) =>
        {
            var form = await request.ReadFormAsync(ct);
            var back = LocalPath(form["return"]);
            if (form["token"].ToString().Trim() is not { Length: > 0 } token || await tokens.AuthenticateAsync(token, ct) is null)
                return Results.Content(PageLayout.Render("Sign in", SignInPage.Render(back, "That token is unknown, revoked or malformed.")),
                    "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            request.HttpContext.Response.Cookies.Append(BearerToken.Cookie, token, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = request.IsHttps, Path = "/",
            });
            return Results.Redirect(back);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/signout", (HttpResponse response) =>
        {
            response.Cookies.Delete(BearerToken.Cookie);
            return Results.Redirect("/");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/audit", async (IAccessStore store, CancellationToken ct) =>
            PageLayout.Page("Audit log", AuditPage.Render(await store.ListAuditAsync(500, ct)), "Audit")).RequiresRole(Role.Operator).ExcludeFromDescription();
    }

    /// <summary>Only a path on this site: a sign-in link must not redirect elsewhere.</summary>
    private static string LocalPath(string? candidate) =>
        candidate is { Length: > 0 } path && path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\') ? path : "/";
}
