using Factory.Contracts.Failures;
using Factory.Manifests;
using Factory.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Factory.Web.Api;

/// <summary>Bad input is a 400 naming each file and field; a service that is down is a 503 naming it.</summary>
internal static class Problems
{
    public static ProblemHttpResult Invalid(InvalidInputException ex, string title = "The plan is not valid") => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = title,
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

    /// <summary>A KEY|BUILD_ID that names no single record: 400 when too short or ambiguous (with the candidates), 404 when nothing matches.</summary>
    public static ProblemHttpResult Lookup(string field, RecordLookup lookup) => lookup.Outcome == RecordLookupOutcome.NotFound
        ? NotFound("No such record", lookup.Message)
        : TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = lookup.Outcome == RecordLookupOutcome.Ambiguous ? "The key or build id prefix is ambiguous" : "The key or build id is too short",
            Detail = $"{field}: {lookup.Message}",
            Extensions =
            {
                ["errors"] = new[] { new { file = "request", field, message = lookup.Message } },
                ["candidates"] = lookup.Candidates ?? Array.Empty<string>(),
            },
        });

    public static ProblemHttpResult NotFound(string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = title, Detail = detail };
        foreach (var (k, v) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[k] = v;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult TooLarge(string field, string message) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request is too large",
        Detail = $"{field}: {message}",
        Extensions = { ["errors"] = new[] { new { file = "request", field, message } } },
    });
}
