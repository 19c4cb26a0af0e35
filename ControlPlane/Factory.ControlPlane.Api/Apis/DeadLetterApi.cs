using Factory.ControlPlane.Access;
using Factory.ControlPlane.DeadLetters;
using Factory.Contracts.Failures;
using Factory.Web.Access;
using Factory.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

public static class DeadLetterApi
{
    public static void MapDeadLetterApi(this IEndpointRouteBuilder app)
    {
        var dlq = app.MapGroup("/api/dlq");
        dlq.MapGet("/", async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> (DeadLetterQueue queue, CancellationToken ct) =>
        {
            try { return TypedResults.Ok(await queue.ListAsync(ct)); }
            catch (InfrastructureException ex) { return Problems.Unavailable(ex); }
        });
        dlq.MapPost("/replay", async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> (ReplayRequest? request, DeadLetterQueue queue, CancellationToken ct) =>
        {
            if (request is null || (request.All != true && (request.Ids is null || request.Ids.Count == 0)))
                return Problems.BadRequest("ids", "name the message ids to replay, or set all: true");
            try
            {
                var replay = await queue.ReplayAsync(request.All == true ? null : request.Ids, ct);
                if (replay.Refused.Count > 0) return Problems.BadRequest("ids", replay.Refusals());
                return TypedResults.Ok(replay.Replayed);
            }
            catch (InfrastructureException ex) { return Problems.Unavailable(ex); }
        }).RequiresRole(Role.Operator).AddEndpointFilter(DeadLetterAudit.Replay);
        dlq.MapPost("/purge", async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> (PurgeRequest? request, DeadLetterQueue queue, CancellationToken ct) =>
        {
            if (request is null || (request.Malformed != true && request.Untrusted != true && (request.Ids is null || request.Ids.Count == 0)))
                return Problems.BadRequest("ids", "name the message ids to purge, or set malformed: true (every malformed message) or untrusted: true (every untrusted result)");
            if (request.Malformed == true && request.Untrusted == true)
                return Problems.BadRequest("untrusted", "set malformed: true or untrusted: true, not both: purge one kind at a time");
            var pick = request.Untrusted == true ? DeadLetterQueue.IsUntrusted
                : request.Malformed == true ? DeadLetterQueue.IsMalformed
                : DeadLetterQueue.Named(request.Ids!);
            try { return TypedResults.Ok(await queue.PurgeAsync(pick, ct)); }
            catch (InfrastructureException ex) { return Problems.Unavailable(ex); }
        }).RequiresRole(Role.Operator).AddEndpointFilter(DeadLetterAudit.Purge);
    }

    public sealed record ReplayRequest(List<string>? Ids, bool? All);

    /// <summary>Ids to remove for good, or malformed: true for every malformed message, or untrusted: true for every untrusted result.</summary>
    public sealed record PurgeRequest(List<string>? Ids, bool? Malformed, bool? Untrusted = null);
}
