using Factory.Contracts.Records;
using Factory.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Factory.Web.Api;

public static class RecordsApi
{
    public static void MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/records");
        records.MapGet("/", async Task<Results<Ok<IReadOnlyList<CompatibilityRecord>>, ProblemHttpResult>> (string? manifest, string? status, ICompatibilityRecordStore store, CancellationToken ct) =>
            status is not null and not (RecordStatus.Passed or RecordStatus.Failed or RecordStatus.Expired)
                ? Problems.BadRequest("status", $"expected passed, failed or expired, found '{status}'")
                : TypedResults.Ok(await store.ListAsync(new RecordQuery(manifest, status), ct)));
        // A build id or key, or a unique prefix of 8 or more characters of one: 400 with the candidates when ambiguous.
        records.MapGet("/{keyOrBuildId}", async Task<Results<Ok<CompatibilityRecord>, ProblemHttpResult>> (string keyOrBuildId, ICompatibilityRecordStore store, CancellationToken ct) =>
        {
            var (record, problem) = await ReviewApi.FindAsync(store, "keyOrBuildId", keyOrBuildId, ct);
            return record is null ? problem! : TypedResults.Ok(record);
        });
    }
}
