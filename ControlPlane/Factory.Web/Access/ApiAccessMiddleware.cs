using Factory.ControlPlane.Access;
using Factory.Contracts.Failures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Factory.Web.Access;

/// <summary>
/// Lets a request through only when <see cref="AccessPolicy"/> allows it, with the caller available to the endpoint
/// (<see cref="CallerAccess.Caller"/>). A browser asking for a page without a token is sent to /signin instead.
/// </summary>
internal sealed class ApiAccessMiddleware(RequestDelegate next, ApiTokens tokens, AccessOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var required = AccessPolicy.Required(context.Request.Method, context.Request.Path.Value ?? "/",
            endpoint?.Metadata.GetMetadata<RoleRequirement>()?.Role, endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null);
        if (required is null)
        {
            await next(context);
            return;
        }
        var bearer = BearerToken.Of(context.Request);
        ApiToken? caller;
        try
        {
            caller = bearer is null ? null : await tokens.AuthenticateAsync(bearer, context.RequestAborted);
        }
        catch (InfrastructureException ex)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "A service Factory depends on is unavailable",
                detail: $"checking the token: {ex.Message}").ExecuteAsync(context);
            return;
        }
        var verdict = AccessPolicy.Decide(required, caller, bearer is not null, options.AnonymousReads);
        if (verdict.Allowed)
        {
            if (caller is not null) context.SetCaller(caller);
            await next(context);
            return;
        }
        if (verdict.Decision == AccessDecision.Unauthenticated && IsPageRequest(context.Request))
        {
            context.Response.Redirect(SignInEndpoints.SignInUrl(context.Request));
            return;
        }
        if (verdict.Decision == AccessDecision.Unauthenticated)
            context.Response.Headers.WWWAuthenticate = bearer is null ? "Bearer realm=\"factory\"" : "Bearer realm=\"factory\", error=\"invalid_token\"";
        await TypedResults.Problem(AccessProblems.For(verdict, context.Request, caller, bearer is not null)).ExecuteAsync(context);
    }

    private static bool IsPageRequest(HttpRequest request) =>
        AccessPolicy.IsRead(request.Method) && !request.Path.StartsWithSegments("/api")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
