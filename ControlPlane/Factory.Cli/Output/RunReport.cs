using System.Text.Json;
using Factory.ControlPlane.Runs;
using Factory.Contracts;
using Factory.Contracts.Records;

namespace Factory.Cli.Output;

/// <summary>What `factory run` and `factory submit --wait` print: JSON for scripts, or a compatibility matrix (combinations × platforms).</summary>
internal sealed record RunReport(string PlanId, IReadOnlyList<RunReportItem> Items, RunSummary Summary)
{
    /// <summary>The report of a plan run, embedded or on a fleet: the same view, the same report.</summary>
    public static RunReport From(PlanRunView view)
    {
        var items = view.Items.Select(i => new RunReportItem(i.IdempotencyKey, i.ManifestId, i.Platform, i.Pool, i.Modules, i.Status, i.Reason,
            i.BuildId ?? Guid.Empty, i.Image, i.Tests.Select(t => new RunTest(t.Name, t.Status)).ToList())).ToList();
        var s = view.Summary;
        return new RunReport(view.PlanId, items, new RunSummary(s.Total, s.Built, s.Reused, s.Passed, s.Failed, s.Expired, s.DeadLettered));
    }

    /// <summary>
    /// 0 all passed or reused, 1 some combination failed or expired or the plan was cancelled (a cancelled plan passes no
    /// gate), 2 some item could not be completed (infrastructure).
    /// </summary>
    public int ExitCode => Summary.DeadLettered > 0 ? 2
        : Summary.Failed + Summary.Expired > 0 || Items.Any(i => i.Status == Factory.ControlPlane.Dispatch.ItemState.Cancelled) ? 1 : 0;

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
