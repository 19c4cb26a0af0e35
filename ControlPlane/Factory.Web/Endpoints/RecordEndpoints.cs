using System.Text;
using System.Text.Json;
using Factory.ControlPlane.Review;
using Factory.Contracts.Failures;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Evidence.Verification;
using Factory.Records;
using Factory.Signing;
using Factory.Web.Html;
using Factory.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Factory.Web.Endpoints;

internal static class RecordEndpoints
{
    public static void MapRecordPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/records/{id}", async (string id, ICompatibilityRecordStore store, ReviewQueries review, EvidenceStores evidence, CancellationToken ct) =>
        {
            var (record, problem) = await FindAsync(id, store, ct);
            if (record is null) return problem!;
            var why = WhyBuiltSection.Render(record, await review.ExplainAsync(record, evidence.FindAsync, ct));
            return PageLayout.Page($"{record.ManifestId} {record.Platform}", RecordPage.Render(record, why));
        }).ExcludeFromDescription();
        app.MapGet("/records/{buildId:guid}/evidence/{index:int}", EvidenceAsync).ExcludeFromDescription();
        app.MapGet("/records/{buildId:guid}/verify", VerifyAsync).ExcludeFromDescription();
        app.MapGet("/records/{buildId:guid}/sbom", SbomAsync).ExcludeFromDescription();
        app.MapGet("/records/{id}/diff", (string id, string? with) => string.IsNullOrWhiteSpace(with)
            ? Results.Text("with: name the other record (a build id or key, or 8 or more characters of one)", statusCode: StatusCodes.Status400BadRequest)
            : Results.Redirect($"/records/{Uri.EscapeDataString(with.Trim())}/diff/{Uri.EscapeDataString(id)}")).ExcludeFromDescription();
        app.MapGet("/records/{before}/diff/{after}", async (string before, string after, ICompatibilityRecordStore store, EvidenceStores evidence, CancellationToken ct) =>
        {
            var (was, problem) = await FindAsync(before, store, ct);
            if (was is null) return problem!;
            var (now, problem2) = await FindAsync(after, store, ct);
            if (now is null) return problem2!;
            var diff = await ReviewQueries.DiffAsync(was, now, evidence.FindAsync, ct);
            return PageLayout.Page("Diff", RecordDiffPage.Render(diff));
        }).ExcludeFromDescription();
    }

    /// <summary>A whole build id or key, or a unique prefix of 8 or more characters; else a page saying why not (with the candidates).</summary>
    private static async Task<(CompatibilityRecord? Record, IResult? Problem)> FindAsync(string id, ICompatibilityRecordStore store, CancellationToken ct)
    {
        var lookup = await store.LookupAsync(id, ct);
        if (await store.GetAsync(lookup, ct) is { } record) return (record, null);
        var html = new HtmlBuilder().Add($"<h1>No record</h1><p>{lookup.Message}</p>");
        if (lookup.Candidates is { Count: > 0 } candidates)
        {
            html.Add($"<ul class=\"candidates\">");
            foreach (var candidate in candidates.Take(RecordLookup.CandidateLimit)) html.Add($"<li><a href=\"{Links.Record(candidate.Split(' ', 2)[1])}\">{candidate}</a></li>");
            html.Add($"</ul>");
        }
        var status = lookup.Outcome == RecordLookupOutcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return (null, Results.Content(PageLayout.Render("No record", html.ToHtml()), "text/html; charset=utf-8", statusCode: status));
    }

    /// <summary>One evidence object of a record; with ?tail=N only its last N bytes, from the first line that starts in them.</summary>
    private static async Task<IResult> EvidenceAsync(Guid buildId, int index, int? tail, ICompatibilityRecordStore store, EvidenceStores evidence, CancellationToken ct)
    {
        var record = await store.GetAsync(buildId, ct);
        if (record is null || index < 0 || index >= record.Evidence.Count) return Results.NotFound();
        var entry = record.Evidence[index];
        if (entry.Kind == EvidenceKind.TestOutput) return await DownloadAsync(entry, evidence, ct);
        byte[]? content;
        try
        {
            content = await evidence.FindAsync(entry.Uri, ct);
        }
        catch (InfrastructureException ex)
        {
            return Results.Text($"the evidence store cannot be read: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (content is null) return Results.Text($"{entry.Uri} is no longer in the evidence store (removed by retention?)", statusCode: StatusCodes.Status404NotFound);
        var type = entry.Kind is EvidenceKind.Sbom or EvidenceKind.Provenance or EvidenceKind.RecordSignature or EvidenceKind.Error
            ? "application/json" : "text/plain; charset=utf-8";
        if (tail is not { } bytes || bytes <= 0 || bytes >= content.Length) return Results.Bytes(content, type);
        var start = content.Length - bytes;
        var newline = Array.IndexOf(content, (byte)'\n', start);
        if (newline >= 0 && newline < content.Length - 1) start = newline + 1;
        var text = $"… {start} bytes before this, see the whole log\n" + Encoding.UTF8.GetString(content, start, content.Length - start);
        return Results.Text(text, "text/plain; charset=utf-8");
    }

    /// <summary>A test's full output: gzip, up to Executor:FullOutputMaxBytes, streamed from the store rather than read whole.</summary>
    private static async Task<IResult> DownloadAsync(EvidenceRef entry, EvidenceStores evidence, CancellationToken ct)
    {
        try
        {
            var stream = await evidence.OpenReadAsync(entry.Uri, ct);
            return Results.Stream(stream, "application/gzip", Path.GetFileName(entry.Name ?? "output.log.gz"));
        }
        catch (EvidenceNotFoundException)
        {
            return Results.Text($"{entry.Uri} is no longer in the evidence store (removed by retention?)", statusCode: StatusCodes.Status404NotFound);
        }
        catch (InfrastructureException ex)
        {
            return Results.Text($"the evidence store cannot be read: {ex.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> SbomAsync(Guid buildId, ICompatibilityRecordStore store, EvidenceStores evidence, CancellationToken ct)
    {
        var record = await store.GetAsync(buildId, ct);
        if (record is null) return Results.NotFound();
        var problem = new HtmlBuilder(256);
        if (ReviewQueries.Sbom(record) is not { } entry) return PageLayout.Fragment(problem.Add($"<p class=\"note\">This record has no SBOM.</p>"), StatusCodes.Status404NotFound);
        if (await evidence.FindAsync(entry.Uri, ct) is not { } content)
            return PageLayout.Fragment(problem.Add($"<p class=\"bad\">{entry.Uri} is no longer in the evidence store.</p>"), StatusCodes.Status404NotFound);
        try
        {
            return PageLayout.Fragment(SbomSection.Render(buildId, SbomSummary.Parse(Encoding.UTF8.GetString(content))));
        }
        catch (JsonException ex)
        {
            return PageLayout.Fragment(problem.Add($"<p class=\"bad\">The SBOM is not valid JSON: {ex.Message}</p>"), StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static async Task<IResult> VerifyAsync(Guid buildId, ICompatibilityRecordStore store, EvidenceStores evidence, WebUiOptions options, CancellationToken ct)
    {
        var record = await store.GetAsync(buildId, ct);
        if (record is null) return Results.NotFound();
        var html = new HtmlBuilder(2048);
        Keyring keyring;
        try
        {
            keyring = Keyring.Load(options.KeyringPath);
        }
        catch (TrustSetupException ex)
        {
            return PageLayout.Fragment(html.Add($"<p class=\"bad\">Nothing to verify against: {ex.Message}</p>"));
        }
        using var trusted = keyring;
        var checks = await new RecordVerifier(evidence, keyring).VerifyAsync(record, ct);
        var failed = checks.Count(c => !c.Ok);
        html.Add($"<p class=\"{(failed == 0 ? "ok" : "bad")}\" id=\"verdict\">{(failed == 0 ? $"verified: {checks.Count} checks passed" : $"NOT verified: {failed} of {checks.Count} checks failed")}</p>");
        html.Add($"<table class=\"checks\"><thead><tr><th>check</th><th>result</th><th>detail</th></tr></thead><tbody>");
        foreach (var check in checks)
            html.Add($"<tr><td>{check.What}</td><td class=\"{(check.Ok ? "ok" : "bad")}\">{(check.Ok ? "ok" : "FAIL")}</td><td>{check.Detail}</td></tr>");
        return PageLayout.Fragment(html.Add($"</tbody></table><p class=\"note\">Checked now against the keyring {keyring.Source} ({keyring.Count} trusted keys): every evidence object re-hashed, the record's DSSE signature, and the provenance's signature, subject and materials.</p>"));
    }
}
