using Factory.ControlPlane.Review;

namespace Factory.Cli.Output;

/// <summary>History, diff and comparison for a person (the same data as --json).</summary>
internal static class ReviewText
{
    public static void WriteHistory(TextWriter o, CellHistory h)
    {
        o.WriteLine($"{h.Cell.ManifestId} {(h.Cell.Modules.Length == 0 ? "(no modules)" : h.Cell.Modules)} on {h.Cell.Platform}: {h.Records.Count} records");
        var f = h.Flakiness;
        o.WriteLine(f.Flaky
            ? $"FLAKY over {f.Window}: rate {f.Rate:P0} ({f.Failures} of {f.Runs} runs of the same inputs failed)"
            : $"not flaky over {f.Window}");
        o.WriteLine($"  ({h.FlakinessRule})");
        if (h.FirstFailed is { } failed) o.WriteLine($"first failed: build {failed.BuildId} at {failed.RecordedAt:u}: {failed.Explanation}");
        if (h.FirstFixed is { } fixedAt) o.WriteLine($"first fixed:  build {fixedAt.BuildId} at {fixedAt.RecordedAt:u}: {fixedAt.Explanation}");
        foreach (var r in h.Records)
            o.WriteLine($"  {r.RecordedAt:u}  {r.BuildId}  {r.IdempotencyKey[..12]}  {r.Status,-7} {r.Reason ?? "",-20} suite {Short(r.TestSuiteHash)} base {Short(r.BaseDigest)}{(r.Rerun ? "  rerun" : "")}");
    }

    public static void WriteDiff(TextWriter o, RecordDiff d)
    {
        o.WriteLine($"{d.Before} ({d.BeforeStatus}) → {d.After} ({d.AfterStatus})");
        o.WriteLine(d.Inputs.Count == 0 ? "inputs: the same" : "inputs");
        foreach (var c in d.Inputs) o.WriteLine($"  {c.Text}");
        o.WriteLine(d.Tests.Count == 0 ? "tests: the same statuses" : "tests");
        foreach (var t in d.Tests) o.WriteLine($"  {t.Name}: {t.From ?? "(not run)"} → {t.To ?? "(not run)"}");
        if (d.Sbom is not { } sbom)
        {
            o.WriteLine($"sbom: not compared ({d.SbomUnavailable})");
            return;
        }
        o.WriteLine($"sbom: {sbom.Added.Count} added, {sbom.Removed.Count} removed, {sbom.Changed.Count} changed, {sbom.Unchanged} unchanged");
        foreach (var c in sbom.Added) o.WriteLine($"  + {c.Type} {c.Name} {c.Version}");
        foreach (var c in sbom.Removed) o.WriteLine($"  - {c.Type} {c.Name} {c.Version}");
        foreach (var c in sbom.Changed) o.WriteLine($"  ~ {c.Type} {c.Name} {c.From} → {c.To}");
    }

    public static void WriteComparison(TextWriter o, Comparison c)
    {
        o.WriteLine($"{c.ManifestId}: {c.Before} → {c.After} ({c.Unchanged} cells unchanged)");
        Tab(o, "Newly failing", c.NewlyFailing);
        Tab(o, "Newly passing", c.NewlyPassing);
        Tab(o, "Still failing", c.StillFailing);
        Tab(o, "New", c.New);
        Tab(o, "Removed", c.Removed);
    }

    private static void Tab(TextWriter o, string name, IReadOnlyList<ComparedCell> cells)
    {
        o.WriteLine($"{name} ({cells.Count})");
        foreach (var cell in cells)
        {
            var side = cell.After ?? cell.Before!;
            var changes = cell.Changes.Count == 0 ? "" : "  because " + string.Join("; ", cell.Changes.Select(x => x.Text));
            o.WriteLine($"  {cell.Modules} on {cell.Platform}: {side.Status}{(side.Reason is null ? "" : $" ({side.Reason})")} build {side.BuildId}{changes}");
        }
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
