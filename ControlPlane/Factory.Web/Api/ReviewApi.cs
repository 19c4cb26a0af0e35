using Factory.Contracts.Failures;
using Factory.Contracts.Records;
using Factory.Planning;
using Factory.ControlPlane.Review;
using Factory.ControlPlane.Runs;
using Factory.Manifests;
using Factory.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Factory.Web.Api;

/// <summary>
/// The reviewer's read API: a manifest's matrix, a cell's history, why a record was built, two records' diff, two
/// states of a matrix compared, and resolve (the passing image for a cell, else 404 with the reason). Every KEY|BUILD_ID
/// takes a unique prefix of 8 or more characters. Bad input is a 400 with problem details naming the parameter.
/// </summary>
public static class ReviewApi
{
    /// <summary>Bad input names the request and the parameter, as Problems.BadRequest does.</summary>
    private const string Request = Problems.Request;

    public static void MapReviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/matrix/{manifest}", MatrixAsync);
        app.MapGet("/api/records/{key}/history", HistoryAsync);
        app.MapGet("/api/records/{key}/why", WhyAsync);
        app.MapGet("/api/records/{a}/diff/{b}", DiffAsync);
        app.MapGet("/api/compare", CompareAsync);
        app.MapGet("/api/resolve", ResolveAsync);
    }

    /// <summary>?strip=N (last results per cell, 1–100, default 10), window=14d (flakiness), modules=slot=version,…, platform=, status=, hide_flaky=true.</summary>
    private static Task<Results<Ok<MatrixView>, ProblemHttpResult>> MatrixAsync(string manifest, ReviewQueries review, IManifestSource manifests, CancellationToken ct,
        int? strip = null, string? window = null, string? modules = null, string? platform = null, string? status = null, bool hide_flaky = false) =>
        Guarded<MatrixView>(async () =>
        {
            var length = strip ?? ReviewQueries.DefaultStrip;
            if (length is < 1 or > 100) throw new InvalidInputException(Request, "strip", $"expected 1 to 100 results per cell, found {length}");
            if (status is not null && !CellState.All.Contains(status))
                throw new InvalidInputException(Request, "status", $"expected one of {string.Join(", ", CellState.All)}, found {Names.Quote(status)}");
            var filter = new MatrixFilter(ModuleChoice.Parse(modules, Request, "modules") is { Count: > 0 } m ? m : null, platform, status, hide_flaky);
            var view = await review.MatrixAsync(manifest, length, Window(window), filter, ct);
            if (view.Records == 0 && !Known(manifests, manifest))
                return Problems.NotFound("No such manifest", $"manifest {Names.Quote(manifest)} is not in the manifest store and has no records");
            return TypedResults.Ok(view);
        });

    /// <summary>?window=14d: the flake rate's window.</summary>
    private static Task<Results<Ok<CellHistory>, ProblemHttpResult>> HistoryAsync(string key, ReviewQueries review, ICompatibilityRecordStore store, CancellationToken ct,
        string? window = null) =>
        Guarded<CellHistory>(async () =>
        {
            var span = Window(window);
            var (record, problem) = await FindAsync(store, "key", key, ct);
            return record is null ? problem! : TypedResults.Ok(await review.HistoryAsync(record, span, ct));
        });

    /// <summary>Why built (or re-tested, or rerun) against the nearest earlier record, and the failed step with its module and owner.</summary>
    private static Task<Results<Ok<RecordExplanation>, ProblemHttpResult>> WhyAsync(string key, ReviewQueries review, ICompatibilityRecordStore store, IServiceProvider services,
        CancellationToken ct) =>
        Guarded<RecordExplanation>(async () =>
        {
            var (record, problem) = await FindAsync(store, "key", key, ct);
            return record is null ? problem! : TypedResults.Ok(await review.ExplainAsync(record, services.GetService<EvidenceReader>(), ct));
        });

    private static Task<Results<Ok<RecordDiff>, ProblemHttpResult>> DiffAsync(string a, string b, ICompatibilityRecordStore store, IServiceProvider services, CancellationToken ct) =>
        Guarded<RecordDiff>(async () =>
        {
            var (before, problemA) = await FindAsync(store, "a", a, ct);
            if (before is null) return problemA!;
            var (after, problemB) = await FindAsync(store, "b", b, ct);
            if (after is null) return problemB!;
            return TypedResults.Ok(await ReviewQueries.DiffAsync(before, after, services.GetService<EvidenceReader>(), ct));
        });

    /// <summary>
    /// ?manifest=ID, and each side as before=/after= (an RFC 3339 time, a duration ago such as 7d, or a plan run id:
    /// the matrix when it completed) and/or before_plan=/after_plan= (only that plan's records). after defaults to now.
    /// </summary>
    private static Task<Results<Ok<Comparison>, ProblemHttpResult>> CompareAsync(ReviewQueries review, CancellationToken ct, string? manifest = null,
        string? before = null, string? before_plan = null, string? after = null, string? after_plan = null) =>
        Guarded<Comparison>(async () =>
        {
            if (string.IsNullOrWhiteSpace(manifest)) throw new InvalidInputException(Request, "manifest", "is required: the manifest id whose matrix to compare");
            if (before is null && before_plan is null)
                throw new InvalidInputException(Request, "before", "give the side to compare with: before= (a time, a duration ago such as 7d, or a plan run id) or before_plan= (a plan id)");
            var was = await review.SideAsync(before, before_plan, Request, "before", ct);
            var now = await review.SideAsync(after, after_plan, Request, "after", ct);
            return TypedResults.Ok(await review.CompareAsync(manifest, was, now, ct));
        });

    /// <summary>?manifest=ID&amp;platform=P[&amp;modules=slot=version,…] → the passing image and its record; else 404 with the reason.</summary>
    private static Task<Results<Ok<ResolveAnswer>, ProblemHttpResult>> ResolveAsync(CellResolver resolver, IManifestSource manifests, CancellationToken ct,
        string? manifest = null, string? platform = null, string? modules = null) =>
        Guarded<ResolveAnswer>(async () =>
        {
            if (string.IsNullOrWhiteSpace(manifest)) throw new InvalidInputException(Request, "manifest", "is required: the manifest id to resolve");
            if (string.IsNullOrWhiteSpace(platform)) throw new InvalidInputException(Request, "platform", "is required: the platform to resolve, e.g. linux/amd64");
            var answer = await resolver.ResolveAsync(manifests.Current(), manifest, platform, ModuleChoice.Parse(modules, Request, "modules"), ct);
            if (answer.Passed) return TypedResults.Ok(answer);
            return Problems.NotFound("Nothing passes for this cell", answer.Detail, new Dictionary<string, object?>
            {
                ["reason"] = answer.Reason,
                ["build_id"] = answer.Record?.BuildId,
                ["idempotency_key"] = answer.Record?.IdempotencyKey,
            });
        });

    internal static async Task<(CompatibilityRecord? Record, ProblemHttpResult? Problem)> FindAsync(ICompatibilityRecordStore store, string field, string input, CancellationToken ct)
    {
        var lookup = await store.LookupAsync(input, ct);
        if (lookup.Outcome != RecordLookupOutcome.Found) return (null, Problems.Lookup(field, lookup));
        var record = await store.GetAsync(lookup, ct);
        return record is null ? (null, Problems.Lookup(field, lookup with { Outcome = RecordLookupOutcome.NotFound })) : (record, null);
    }

    private static TimeSpan Window(string? text) =>
        text is null ? ReviewQueries.DefaultWindow
        : Durations.TryParse(text, out var window) ? window
        : throw new InvalidInputException(Request, "window", $"expected a duration such as 14d, 12h or 30m, found {Names.Quote(text)}");

    private static bool Known(IManifestSource manifests, string manifest)
    {
        try { return manifests.Current().Entries.ContainsKey(manifest); }
        catch (InvalidInputException) { return false; }
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Guarded<T>(Func<Task<Results<Ok<T>, ProblemHttpResult>>> body)
    {
        try { return await body(); }
        catch (InvalidInputException ex) { return Problems.Invalid(ex, Problems.InvalidRequest); }
        catch (InfrastructureException ex) { return Problems.Unavailable(ex); }
    }
}
