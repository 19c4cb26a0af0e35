using Factory.ControlPlane.Access;
using Factory.Web.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Factory.Web.Access;

/// <summary>
/// GET /api/whoami (the caller's token), GET /api/audit (operator: who submitted, cancelled, replayed what), and
/// /api/tokens (admin: list, create, revoke; `factory tokens` does the same on the database directly).
/// </summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/whoami", Results<Ok<ApiToken>, ProblemHttpResult> (HttpContext context) =>
            context.Caller() is { } caller
                ? TypedResults.Ok(caller)
                : Problems.NotFound("No token", "this read was let in anonymously (Auth:AnonymousReads): there is no token to describe"));
        app.MapGet("/api/audit", async (IAccessStore store, CancellationToken ct, int limit = 200) =>
            TypedResults.Ok(await store.ListAuditAsync(Math.Clamp(limit, 1, 10_000), ct))).RequiresRole(Role.Operator);

        var tokens = app.MapGroup("/api/tokens").RequiresRole(Role.Admin);
        tokens.MapGet("/", async (IAccessStore store, CancellationToken ct) => TypedResults.Ok(await store.ListTokensAsync(ct)));
        tokens.MapPost("/", async Task<Results<Created<CreatedToken>, ProblemHttpResult>> (TokenRequest? request, HttpContext context, ApiTokens issuer, CancellationToken ct) =>
        {
            if (!Roles.TryParse(request?.Role, out var role)) return Problems.BadRequest("role", $"expected one of {Roles.Accepted}");
            var issued = await issuer.CreateAsync(role, request!.Name, context.Caller(), ct);
            return TypedResults.Created($"/api/tokens/{issued.Token.Id}", new CreatedToken(issued.Secret, issued.Token.Id, role.Name(), issued.Token.Name));
        });
        tokens.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, HttpContext context, ApiTokens issuer, CancellationToken ct) =>
            await issuer.RevokeAsync(id, context.Caller(), ct) ? TypedResults.NoContent() : Problems.NotFound("No such token", $"no token has the id {id}"));
        return app;
    }

    public sealed record TokenRequest(string? Role, string? Name);

    public sealed record CreatedToken(string Token, string Id, string Role, string? Name);
}
