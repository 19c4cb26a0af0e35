using Factory.ControlPlane.Review;
using Factory.Contracts.Records;

namespace Factory.Cli.Output;

/// <summary>`records show` for a person: status and reason; for a failure the failed step, its module and owner; why built; modules; tests; log tail; evidence.</summary>
internal static class RecordText
{
    private const int LogTailLines = 20;

    public static void Write(TextWriter o, CompatibilityRecord r, RecordExplanation explanation)
    {
        o.WriteLine($"{r.Status.ToUpperInvariant()}{(r.Reason is null ? "" : $" ({r.Reason})")}  {r.ManifestId} on {r.Platform}  recorded {r.RecordedAt:u}");
        if (explanation.FailedStep is { } step)
        {
            var module = step.Module is { } m
                ? $" in module {m.Name} {m.Version} (slot {m.Slot}), owner {(m.Owner is { } owner ? $"{owner.Handle} ({owner.Team})" : "unknown")}"
                : "";
            o.WriteLine($"failed step: {step.Stage}{module}");
            o.WriteLine($"  {step.Detail}");
        }
        o.WriteLine($"why: {explanation.WhyBuilt.Text}");
        o.WriteLine();
        o.WriteLine($"build      {r.BuildId}");
        o.WriteLine($"key        {r.IdempotencyKey}");
        o.WriteLine($"plan       {r.PlanId}");
        o.WriteLine($"template   {r.TemplateId} {r.TemplateVersion}");
        o.WriteLine($"base       {r.BaseDigest}");
        o.WriteLine($"suite      {r.TestSuiteId} {r.TestSuiteHash}");
        o.WriteLine($"image      {r.Image ?? "(none)"}");
        o.WriteLine($"executor   {r.Executor.Host} (pool {r.Executor.Pool})");
        o.WriteLine("modules");
        foreach (var m in r.Modules)
            o.WriteLine($"  {m.Slot,-14} {m.Name} {m.Version,-10} {m.ContentDigest}  {(m.Owner is { } owner ? $"{owner.Handle} ({owner.Team})" : "")}");
        o.WriteLine(r.Tests.Count == 0 ? "tests: none ran" : "tests");
        foreach (var t in r.Tests)
        {
            o.WriteLine($"  {t.Status,-7} {t.Name} ({t.DurationMs} ms){(t.Reason is null ? "" : ": " + t.Reason)}");
            if (t.Status != RecordStatus.Passed && !string.IsNullOrWhiteSpace(t.OutputTail))
                foreach (var line in Tail(t.OutputTail, 5)) o.WriteLine($"          | {line}");
        }
        if (!string.IsNullOrWhiteSpace(r.LogTail))
        {
            o.WriteLine("log tail");
            foreach (var line in Tail(r.LogTail, LogTailLines)) o.WriteLine($"  | {line}");
        }
        o.WriteLine(r.Evidence.Count == 0 ? "evidence: none" : "evidence");
        foreach (var e in r.Evidence)
            o.WriteLine($"  {e.Kind,-16} {e.Uri}  {e.Size} bytes{(e.Name is null ? "" : "  " + e.Name)}");
    }

    private static IEnumerable<string> Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.TrimEnd('\r'));
    }
}
