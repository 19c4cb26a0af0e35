using Factory.ControlPlane.Access;
using Factory.ControlPlane.DeadLetters;
using Factory.Web.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

/// <summary>Records a dead-letter replay or purge that went through in the audit log: who replayed or removed which messages.</summary>
internal static class DeadLetterAudit
{
    public static ValueTask<object?> Replay(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        RecordAsync(context, next, AuditActions.DeadLettersReplayed, "replayed",
            context.Arguments.OfType<DeadLetterApi.ReplayRequest>().FirstOrDefault() is { } r ? (r.All == true ? "all" : null, r.Ids) : (null, null));

    public static ValueTask<object?> Purge(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        RecordAsync(context, next, AuditActions.DeadLettersPurged, "purged",
            context.Arguments.OfType<DeadLetterApi.PurgeRequest>().FirstOrDefault() is { } p ? (p.Malformed == true ? "malformed" : p.Untrusted == true ? "untrusted" : null, p.Ids) : (null, null));

    private static async ValueTask<object?> RecordAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string action, string done,
        (string? Every, List<string>? Ids) request)
    {
        var result = await next(context);
        if (result is Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult> { Result: Ok<IReadOnlyList<DeadLetter>> { Value: { } letters } })
        {
            // The target is what the request named: every message of a kind ("all", "malformed", "untrusted"), or the ids.
            var target = request.Every ?? string.Join(",", request.Ids ?? []);
            await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context.HttpContext, action, target,
                $"{letters.Count} {done}: {string.Join(",", letters.Take(20).Select(l => l.MessageId))}");
        }
        return result;
    }
}
