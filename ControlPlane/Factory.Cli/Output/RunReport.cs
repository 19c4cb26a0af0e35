using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.Cli.Output;

internal sealed record RunItemOutcome(WorkItem Item, CompatibilityRecord Record, bool Reused, bool Built);

internal sealed record RunTest(string Name, string Status);

internal sealed record RunReportItem(string IdempotencyKey, string ManifestId, string Platform, string Pool,
    IReadOnlyDictionary<string, string> Modules, string Status, string? Reason, Guid BuildId, string? Image, IReadOnlyList<RunTest> Tests);

internal sealed record RunSummary(int Total, int Built, int Reused, int Passed, int Failed, int Expired = 0, int DeadLettered = 0);

/// <summary>What `factory run` prints: JSON for scripts, or a compatibility matrix (combinations × platforms).</summary>
internal sealed record RunReport(string PlanId, IReadOnlyList<RunReportItem> Items, RunSummary Summary)
{
    public const string Reused = "reused";

    public static RunReport From(Plan plan, IReadOnlyList<RunItemOutcome> outcomes)
    {
        var items = outcomes.Select(o => new RunReportItem(
            o.Item.IdempotencyKey, o.Item.ManifestId, o.Item.Platform, o.Item.Pool,
            o.Item.Modules.ToDictionary(m => m.Slot, m => m.Version),
            o.Reused ? Reused : o.Record.Status, o.Reused ? null : o.Record.Reason, o.Record.BuildId, o.Record.Image,
            o.Record.Tests.Select(t => new RunTest(t.Name, t.Status)).ToList())).ToList();
        var summary = new RunSummary(
            Total: items.Count,
            Built: outcomes.Count(o => o.Built),
            Reused: items.Count(i => i.Status == Reused),
            Passed: items.Count(i => i.Status == RecordStatus.Passed),
            Failed: items.Count(i => i.Status == RecordStatus.Failed),
            Expired: items.Count(i => i.Status == RecordStatus.Expired));
        return new RunReport(plan.Id, items, summary);
    }

    /// <summary>0 all passed or reused, 1 some combination failed or expired, 2 some item could not be completed (infrastructure).</summary>
    public int ExitCode => Summary.DeadLettered > 0 ? 2 : Summary.Failed + Summary.Expired > 0 ? 1 : 0;

    public void Print(bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(this, FactoryJson.Options));
            return;
        }
        var slots = Items.Count == 0 ? [] : Items[0].Modules.Keys.ToList();
        var platforms = Items.Select(i => i.Platform).Distinct().ToList();
        var rows = Items.GroupBy(i => string.Join(" ", slots.Select(s => i.Modules[s]))).ToList();
        var widths = slots.Select(s => Math.Max(s.Length, Items.Max(i => i.Modules[s].Length))).ToList();
        var cell = Math.Max(12, platforms.Max(p => p.Length));
        Console.WriteLine();
        Console.WriteLine($"compatibility matrix for plan {PlanId}");
        Console.WriteLine(string.Join("  ", slots.Select((s, i) => s.PadRight(widths[i]))) + " | " + string.Join("  ", platforms.Select(p => p.PadRight(cell))));
        foreach (var row in rows)
        {
            var first = row.First();
            var cells = platforms.Select(p => row.FirstOrDefault(i => i.Platform == p) is { } item
                ? (item.Status == RecordStatus.Failed ? $"failed:{item.Reason}" : item.Status)
                : "-");
            Console.WriteLine(string.Join("  ", slots.Select((s, i) => first.Modules[s].PadRight(widths[i]))) + " | " + string.Join("  ", cells.Select(c => c.PadRight(cell))));
        }
        Console.WriteLine();
        Console.WriteLine($"{Summary.Total} combinations: {Summary.Built} built, {Summary.Reused} reused, {Summary.Passed} passed, {Summary.Failed} failed" +
            (Summary.Expired > 0 ? $", {Summary.Expired} expired" : "") + (Summary.DeadLettered > 0 ? $", {Summary.DeadLettered} dead-lettered (factory dlq list)" : ""));
        foreach (var failed in Items.Where(i => i.Status == RecordStatus.Failed))
            Console.WriteLine($"  failed {failed.Platform} {string.Join(" ", failed.Modules.Select(m => $"{m.Key}={m.Value}"))}: {failed.Reason} (factory records show {failed.BuildId})");
    }
}

/// <summary>Progress lines on stderr as records land (stdout stays clean for --json).</summary>
internal sealed class ProgressWriter(bool quiet)
{
    private int _done;
    private int _total;
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    public void Start(Plan plan, int combinations, int toRun, IReadOnlyList<string> pools)
    {
        _total = toRun;
        if (quiet) return;
        Console.Error.WriteLine($"plan {plan.Id}: {combinations} combinations, {combinations - toRun} reused, {toRun} to run on pools {string.Join(", ", pools)}");
    }

    public void OnRecorded(CompatibilityRecorded recorded)
    {
        var done = Interlocked.Increment(ref _done);
        if (quiet) return;
        var elapsed = DateTimeOffset.UtcNow - _start;
        Console.Error.WriteLine($"[{done}/{_total}] {recorded.IdempotencyKey[..12]} {recorded.Status} ({elapsed.TotalSeconds:0}s)");
    }
}
