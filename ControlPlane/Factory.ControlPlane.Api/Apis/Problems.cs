using Factory.Contracts.Failures;
using Factory.Manifests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Factory.ControlPlane.Api.Apis;

/// <summary>Bad input is a 400 naming each file and field; a service that is down is a 503 naming it.</summary>
internal static class Problems
{
    public static ProblemHttpResult Invalid(InvalidInputException ex) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The plan is not valid",
        Detail = string.Join("\n", ex.Errors),
        Extensions = { ["errors"] = ex.Errors.Select(e => new { file = e.File, field = e.Field, message = e.Message }).ToList() },
    });

    public static ProblemHttpResult Unavailable(InfrastructureException ex) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "A service Factory depends on is unavailable",
        Detail = ex.Message,
        Extensions = { ["service"] = ex.Service },
    });

    public static ProblemHttpResult BadRequest(string field, string message) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is not valid",
        Detail = $"{field}: {message}",
        Extensions = { ["errors"] = new[] { new { file = "request", field, message } } },
    });

    public static ProblemHttpResult TooLarge(string field, string message) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request is too large",
        Detail = $"{field}: {message}",
        Extensions = { ["errors"] = new[] { new { file = "request", field, message } } },
    });
}
