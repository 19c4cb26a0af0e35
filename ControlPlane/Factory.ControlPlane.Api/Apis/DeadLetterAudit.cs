using Factory.ControlPlane.Access;
using Factory.ControlPlane.DeadLetters;
using Factory.Web.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

/// <summary>Records a dead-letter replay that went through in the audit log: who replayed which messages.</summary>
internal static class DeadLetterAudit
{
    public static async ValueTask<object?> Replay(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult> { Result: Ok<IReadOnlyList<DeadLetter>> { Value: { } replayed } })
        {
            var request = context.Arguments.OfType<DeadLetterApi.ReplayRequest>().FirstOrDefault();
            var target = request?.All == true ? "all" : string.Join(",", request?.Ids ?? []);
            await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context.HttpContext, AuditActions.DeadLettersReplayed, target,
                $"{replayed.Count} replayed: {string.Join(",", replayed.Take(20).Select(l => l.MessageId))}");
        }
        return result;
    }
}
