using System.Text;
using System.Text.Json;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Records;
using Factory.Manifests;
using Factory.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// The reviewer's reads, shared by the API and the CLI: each takes what it needs from the record store in one query
/// (facts, not whole records, where many are read) and hands it to the pure domain (<see cref="MatrixBuilder"/>,
/// <see cref="CellHistory"/>, <see cref="WhyBuilt"/>, <see cref="MatrixComparison"/>, <see cref="RecordDiff"/>).
/// </summary>
public sealed class ReviewQueries(ICompatibilityRecordStore records, TimeProvider clock, IPlanStateStore? plans = null)
{
    /// <summary>The most records one read looks at (a manifest's, or a manifest's on one platform).</summary>
    public const int MaxRecords = 100_000;
    public const int DefaultStrip = 10;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(14);

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<MatrixView> MatrixAsync(string manifestId, int strip, TimeSpan window, MatrixFilter filter, CancellationToken ct)
    {
        var facts = await records.ListFactsAsync(new RecordQuery(ManifestId: manifestId, Platform: filter.Platform, Limit: MaxRecords), ct);
        return MatrixBuilder.Build(manifestId, facts, Now, strip, window, filter);
    }

    /// <summary>The history of the record's cell; the record itself may be any of its records.</summary>
    public Task<CellHistory> HistoryAsync(CompatibilityRecord record, TimeSpan window, CancellationToken ct) =>
        HistoryAsync(CellId.Of(RecordFacts.Of(record)), window, ct);

    /// <summary>The history of a cell named by what a reviewer chose (it may have no records yet).</summary>
    public async Task<CellHistory> HistoryAsync(CellId cell, TimeSpan window, CancellationToken ct) =>
        CellHistory.Of(cell, await SameManifestAndPlatformAsync(cell.ManifestId, cell.Platform, ct), Now, window);

    /// <summary>Why the record was built, and where it failed (a failed build's Dockerfile is read from its evidence when <paramref name="read"/> is given).</summary>
    public async Task<RecordExplanation> ExplainAsync(CompatibilityRecord record, EvidenceReader? read, CancellationToken ct)
    {
        var facts = RecordFacts.Of(record);
        var why = WhyBuilt.Explain(facts, await SameManifestAndPlatformAsync(facts.ManifestId, facts.Platform, ct));
        string? dockerfile = null;
        if (record.Reason == FailureReason.BuildFailed && read is not null && record.Evidence.FirstOrDefault(e => e.Kind == EvidenceKind.Dockerfile) is { } evidence
            && await read(evidence.Uri, ct) is { } bytes)
            dockerfile = Encoding.UTF8.GetString(bytes);
        return new RecordExplanation(why, FailedStep.Locate(record, dockerfile));
    }

    /// <summary>A side given as a plan run id (a Guid) is the matrix as it stood when that run completed.</summary>
    public async Task<ComparisonSide> SideAsync(string? at, string? plan, string file, string field, CancellationToken ct)
    {
        if (at is not null && Guid.TryParse(at, out var runId))
        {
            var run = plans is null ? null : await plans.GetRunAsync(runId, ct);
            if (run is null) throw new InvalidInputException(file, field, $"no plan run {runId}");
            // Until is exclusive: one tick past the completion keeps the run's last record.
            var until = (run.CompletedAt ?? Now).AddTicks(1);
            return new ComparisonSide($"plan run {runId} ({run.PlanId}, {(run.CompletedAt is { } c ? $"completed {c:u}" : "running")})", until, plan);
        }
        return ComparisonSide.Parse(at, plan, Now, file, field);
    }

    public async Task<Comparison> CompareAsync(string manifestId, ComparisonSide before, ComparisonSide after, CancellationToken ct)
    {
        var was = await records.ListFactsAsync(new RecordQuery(ManifestId: manifestId, PlanId: before.PlanId, Until: before.Until, Limit: MaxRecords), ct);
        var now = await records.ListFactsAsync(new RecordQuery(ManifestId: manifestId, PlanId: after.PlanId, Until: after.Until, Limit: MaxRecords), ct);
        return MatrixComparison.Compare(manifestId, before.Label, was, after.Label, now);
    }

    /// <summary>Inputs, tests and (when <paramref name="read"/> can fetch both SBOMs) the SBOM diff of two records.</summary>
    public static async Task<RecordDiff> DiffAsync(CompatibilityRecord before, CompatibilityRecord after, EvidenceReader? read, CancellationToken ct)
    {
        var (a, b) = (Sbom(before), Sbom(after));
        if (a is null || b is null)
            return RecordDiff.Between(before, after, null, $"no SBOM evidence in build {(a is null ? before.BuildId : after.BuildId)}");
        if (read is null) return RecordDiff.Between(before, after, null, "no evidence store is configured here");
        try
        {
            var (was, now) = (await read(a.Uri, ct), await read(b.Uri, ct));
            if (was is null || now is null) return RecordDiff.Between(before, after, null, $"SBOM evidence {(was is null ? a.Uri : b.Uri)} is not in the evidence store");
            return RecordDiff.Between(before, after, SbomDiff.Between(SbomSummary.Parse(Encoding.UTF8.GetString(was)), SbomSummary.Parse(Encoding.UTF8.GetString(now))), null);
        }
        catch (JsonException ex)
        {
            return RecordDiff.Between(before, after, null, $"an SBOM is not valid JSON: {ex.Message}");
        }
    }

    public static EvidenceRef? Sbom(CompatibilityRecord record) => record.Evidence.FirstOrDefault(e => e.Kind == EvidenceKind.Sbom);

    private async Task<IReadOnlyList<RecordFacts>> SameManifestAndPlatformAsync(string manifestId, string platform, CancellationToken ct) =>
        await records.ListFactsAsync(new RecordQuery(ManifestId: manifestId, Platform: platform, Limit: MaxRecords), ct);
}
