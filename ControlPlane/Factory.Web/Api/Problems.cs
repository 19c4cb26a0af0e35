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
    /// <summary>The "file" a bad query parameter or body is named under.</summary>
    public const string Request = "request";
    public const string InvalidRequest = "The request is not valid";

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

    public static ProblemHttpResult BadRequest(string field, string message) => OfRequest(StatusCodes.Status400BadRequest, InvalidRequest, field, message);

    /// <summary>A KEY|BUILD_ID that names no single record: 400 when too short or ambiguous (with the candidates), 404 when nothing matches.</summary>
    public static ProblemHttpResult Lookup(string field, RecordLookup lookup) => lookup.Outcome == RecordLookupOutcome.NotFound
        ? NotFound("No such record", lookup.Message)
        : OfRequest(StatusCodes.Status400BadRequest,
            lookup.Outcome == RecordLookupOutcome.Ambiguous ? "The key or build id prefix is ambiguous" : "The key or build id is too short",
            field, lookup.Message, new Dictionary<string, object?> { ["candidates"] = lookup.Candidates ?? Array.Empty<string>() });

    public static ProblemHttpResult NotFound(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        With(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = title, Detail = detail }, extensions);

    public static ProblemHttpResult TooLarge(string field, string message) =>
        OfRequest(StatusCodes.Status413PayloadTooLarge, "The request is too large", field, message);

    /// <summary>One error in the request's <paramref name="field"/>, in the errors list the CLI reads back as its own errors.</summary>
    private static ProblemHttpResult OfRequest(int status, string title, string field, string message, IDictionary<string, object?>? extensions = null) =>
        With(new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = $"{field}: {message}",
            Extensions = { ["errors"] = new[] { new { file = Request, field, message } } },
        }, extensions);

    private static ProblemHttpResult With(ProblemDetails problem, IDictionary<string, object?>? extensions)
    {
        foreach (var (k, v) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[k] = v;
        return TypedResults.Problem(problem);
    }
}
