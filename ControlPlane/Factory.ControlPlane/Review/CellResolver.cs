using System.Text.Json;
using Factory.Planning;
using Factory.Contracts.Records;
using Factory.Manifests;
using Factory.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// `resolve`: the cell a downstream job asks for (a manifest on a platform, its modules at the manifest's versions
/// unless given) keyed as it would be built now (today's base digest and test suite), then <see cref="ResolvePolicy"/>
/// over the cell's records. Bad input (unknown manifest, slot, version or platform) throws InvalidInputException.
/// </summary>
public sealed class CellResolver(PlanPreparer preparer, ICompatibilityRecordStore records, PoolCatalog pools, TimeProvider clock)
{
    public async Task<ResolveAnswer> ResolveAsync(ManifestStore store, string manifestId, string platform, IReadOnlyDictionary<string, string> modules, CancellationToken ct)
    {
        // A one-cell plan read like any other, so unknown slots, versions and platforms are refused with the same messages.
        var document = JsonSerializer.Serialize(new
        {
            id = "resolve",
            manifest = manifestId,
            platforms = new[] { platform },
            matrix = modules.ToDictionary(m => m.Key, m => new[] { m.Value }),
        });
        var plan = PlanReader.Parse(new StringReader(document), "resolve request", store);
        var items = await preparer.PrepareAsync(plan, store, pools.Pools.Select(p => p.Name).ToList(), clock.GetUtcNow(), ct);
        if (items.Count != 1)
            throw new InvalidInputException("resolve request", "platform", $"{manifestId} on {platform} is {items.Count} combinations, expected one");
        var item = items[0];
        var expected = new ExpectedCell(new CellId(manifestId, CellId.Combination(item.Modules), platform), item.IdempotencyKey, item.TestSuiteHash, item.BaseDigest);
        var cellRecords = await records.ListFactsAsync(new RecordQuery(ManifestId: manifestId, Platform: platform, Limit: ReviewQueries.MaxRecords), ct);
        return ResolvePolicy.Decide(expected, cellRecords);
    }
}
