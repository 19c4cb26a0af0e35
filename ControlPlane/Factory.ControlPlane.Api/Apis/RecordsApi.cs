using Factory.Contracts.Records;
using Factory.Records;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Factory.ControlPlane.Api.Apis;

public static class RecordsApi
{
    public static void MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/records");
        records.MapGet("/", async Task<Results<Ok<IReadOnlyList<CompatibilityRecord>>, ProblemHttpResult>> (string? manifest, string? status, ICompatibilityRecordStore store, CancellationToken ct) =>
            status is not null and not (RecordStatus.Passed or RecordStatus.Failed or RecordStatus.Expired)
                ? Problems.BadRequest("status", $"expected passed, failed or expired, found '{status}'")
                : TypedResults.Ok(await store.ListAsync(new RecordQuery(manifest, status), ct)));
        records.MapGet("/{keyOrBuildId}", async Task<Results<Ok<CompatibilityRecord>, NotFound>> (string keyOrBuildId, ICompatibilityRecordStore store, CancellationToken ct) =>
        {
            var record = Guid.TryParse(keyOrBuildId, out var buildId)
                ? await store.GetAsync(buildId, ct)
                : (await store.FindByKeyAsync(keyOrBuildId, ct)).FirstOrDefault();
            return record is null ? TypedResults.NotFound() : TypedResults.Ok(record);
        });
    }
}
