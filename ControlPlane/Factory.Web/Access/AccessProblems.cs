using Factory.ControlPlane.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Factory.Web.Access;

/// <summary>401 and 403 as problem details that name the role the request needed.</summary>
internal static class AccessProblems
{
    public static ProblemDetails For(AccessVerdict verdict, HttpRequest request, ApiToken? caller, bool tokenPresented)
    {
        var role = verdict.Required!.Value.Name();
        var what = $"{request.Method} {request.Path}";
        var problem = verdict.Decision == AccessDecision.Forbidden
            ? new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The token's role is too low",
                Detail = $"{what} needs role {role} or higher; token {caller!.Display} has role {caller.Role.Name()}",
            }
            : new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = tokenPresented ? "The token is not valid" : "A token is required",
                Detail = (tokenPresented ? "the token presented is unknown, revoked or malformed; " : "")
                    + $"{what} needs a token with role {role} or higher: send Authorization: Bearer <token> "
                    + $"(the CLI reads FACTORY_TOKEN or --token-file; an admin creates one with `factory tokens create --role {role}`)",
            };
        problem.Extensions["required_role"] = role;
        return problem;
    }
}
