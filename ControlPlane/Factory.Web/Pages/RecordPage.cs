using Factory.Contracts.Records;
using Factory.Web.Html;

namespace Factory.Web.Pages;

/// <summary>
/// One record: what it is (status, reason, image), its inputs (template, modules with owners and content digests,
/// base digest, platform, test suite), its tests with their output tails, and its evidence. Logs, the SBOM and the
/// signature checks load only when opened, a log's tail first.
/// </summary>
public static class RecordPage
{
    /// <summary>How much of a log a record page loads first: its end, where a failure shows.</summary>
    public const int TailBytes = 16 * 1024;

    public static RawHtml Render(CompatibilityRecord record, RawHtml whyBuilt)
    {
        var html = new HtmlBuilder();
        var modules = record.Modules.Select(m => KeyValuePair.Create(m.Slot, m.Version)).ToList();
        html.Add($"<h1>{record.ManifestId} · {record.Platform} {Show.Badge(record.Status)}</h1>");
        html.Add($"<p class=\"sub\">{Links.CellModules(modules)}");
        if (record.Reason is not null) html.Add($" · <span class=\"bad\">{record.Reason}</span>");
        html.Add($" · recorded {Show.Time(record.RecordedAt)} · <a href=\"{Links.Cell(record.ManifestId, record.Platform, modules)}\">cell history</a> · <a href=\"{Links.Matrix(record.ManifestId)}\">matrix</a></p>");

        html.Add($"<dl class=\"facts\"><dt>build id</dt><dd><code>{record.BuildId}</code></dd><dt>key</dt><dd><code>{record.IdempotencyKey}</code></dd>");
        html.Add($"<dt>image</dt><dd><code>{record.Image ?? "(none: nothing was built)"}</code></dd><dt>plan</dt><dd>{record.PlanId}</dd>");
        html.Add($"<dt>executor</dt><dd>{record.Executor.Host} ({record.Executor.Pool})</dd></dl>");
        html.Add($"{whyBuilt}");

        html.Add($"<h2>Inputs</h2><dl class=\"facts\"><dt>template</dt><dd>{record.TemplateId} {record.TemplateVersion}</dd>");
        html.Add($"<dt>base digest</dt><dd><code>{record.BaseDigest}</code></dd><dt>platform</dt><dd>{record.Platform}</dd>");
        if (record.Accelerator is not null) html.Add($"<dt>accelerator</dt><dd>{record.Accelerator}</dd>");
        html.Add($"<dt>test suite</dt><dd>{record.TestSuiteId} <code>{record.TestSuiteHash}</code></dd></dl>");
        html.Add($"<table class=\"modules\"><thead><tr><th>slot</th><th>module</th><th>version</th><th>owner</th><th>content digest</th></tr></thead><tbody>");
        foreach (var m in record.Modules)
            html.Add($"<tr><td>{m.Slot}</td><td>{m.Name}</td><td>{m.Version}</td><td>{m.Owner?.Handle} {(m.Owner is null ? "" : $"({m.Owner.Team})")}</td><td><code>{m.ContentDigest}</code></td></tr>");
        html.Add($"</tbody></table>");

        Tests(html, record);
        Logs(html, record);
        Evidence(html, record);
        Timings(html, record.Timings);
        return html.ToHtml();
    }

    private static void Tests(HtmlBuilder html, CompatibilityRecord record)
    {
        html.Add($"<h2>Tests</h2>");
        if (record.Tests.Count == 0)
        {
            html.Add($"<p class=\"note\">No test ran{(record.Reason is null ? "" : $" ({record.Reason})")}.</p>");
            return;
        }
        html.Add($"<table class=\"tests\"><thead><tr><th>test</th><th>status</th><th>exit</th><th>time</th><th>output (tail)</th></tr></thead><tbody>");
        foreach (var t in record.Tests)
        {
            html.Add($"<tr><td>{t.Name}</td><td>{Show.Badge(t.Status)}{(t.TimedOut ? " timed out" : "")}");
            if (t.Reason is not null) html.Add($"<div class=\"reason\">{t.Reason}</div>");
            html.Add($"</td><td>{t.ExitCode}</td><td>{Show.Duration(t.DurationMs)}</td><td>");
            if (!string.IsNullOrEmpty(t.OutputTail)) html.Add($"<details><summary>{t.OutputTail.Length} characters</summary><pre>{t.OutputTail}</pre></details>");
            html.Add($"</td></tr>");
        }
        html.Add($"</tbody></table>");
    }

    private static void Logs(HtmlBuilder html, CompatibilityRecord record)
    {
        html.Add($"<h2>Logs</h2>");
        if (!string.IsNullOrEmpty(record.LogTail))
            html.Add($"<details class=\"log-tail\"><summary>log tail kept in the record</summary><pre>{record.LogTail}</pre></details>");
        for (var i = 0; i < record.Evidence.Count; i++)
        {
            var e = record.Evidence[i];
            if (e.Kind == EvidenceKind.TestOutput)
            {
                html.Add($"<p class=\"full-output\">the whole output of {e.Name}: <a href=\"{Links.Evidence(record.BuildId, i)}\">download (gzip, {Show.Bytes(e.Size)})</a></p>");
                continue;
            }
            if (e.Kind is not (EvidenceKind.BuildLog or EvidenceKind.TestLog or EvidenceKind.Error)) continue;
            html.Add($"<details class=\"log\" data-src=\"{Links.Evidence(record.BuildId, i, TailBytes)}\"><summary>{e.Kind.Replace('_', ' ')} {e.Name} ({Show.Bytes(e.Size)})</summary>");
            html.Add($"<p class=\"note\">the last {Show.Bytes(Math.Min(e.Size, TailBytes))} · <a href=\"{Links.Evidence(record.BuildId, i)}\">the whole log</a></p><pre data-fill>loading…</pre></details>");
        }
    }

    private static void Evidence(HtmlBuilder html, CompatibilityRecord record)
    {
        html.Add($"<h2>Evidence</h2>");
        if (record.Evidence.Any(e => e.Kind == EvidenceKind.Sbom))
            html.Add($"<details class=\"sbom\" data-src=\"{Links.Sbom(record.BuildId)}\"><summary>SBOM summary</summary><div data-fill>loading…</div></details>");
        if (record.Evidence.Any(e => e.Kind is EvidenceKind.Provenance or EvidenceKind.RecordSignature))
            html.Add($"<details class=\"verify\" data-src=\"{Links.Verify(record.BuildId)}\"><summary>Provenance and signature: verify now</summary><div data-fill>verifying…</div></details>");
        html.Add($"<table class=\"evidence\"><thead><tr><th>kind</th><th>name</th><th>size</th><th>sha256</th><th>uri</th></tr></thead><tbody>");
        for (var i = 0; i < record.Evidence.Count; i++)
        {
            var e = record.Evidence[i];
            html.Add($"<tr><td>{e.Kind}</td><td><a href=\"{Links.Evidence(record.BuildId, i)}\">{e.Name ?? e.Kind}</a></td><td>{Show.Bytes(e.Size)}</td><td>{Show.Short(e.Sha256)}</td><td><code>{e.Uri}</code></td></tr>");
        }
        html.Add($"</tbody></table>");
    }

    private static void Timings(HtmlBuilder html, StageTimings t)
    {
        html.Add($"<h2>Timings</h2><table><tr><th>render</th><th>build</th><th>push</th><th>test</th><th>sbom</th><th>provenance</th><th>evidence</th><th>record</th></tr>");
        html.Add($"<tr><td>{Show.Duration(t.RenderMs)}</td><td>{Show.Duration(t.BuildMs)}</td><td>{Show.Duration(t.PushMs)}</td><td>{Show.Duration(t.TestMs)}</td>");
        html.Add($"<td>{Show.Duration(t.SbomMs)}</td><td>{Show.Duration(t.ProvenanceMs)}</td><td>{Show.Duration(t.EvidenceMs)}</td><td>{Show.Duration(t.RecordMs)}</td></tr></table>");
    }
}
