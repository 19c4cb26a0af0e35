using System.Text.Json;
using Factory.Contracts.Records;
using Factory.Records;

namespace Factory.ControlPlane.Runs;

public sealed record PlanRunTest(string Name, string Status);

public sealed record PlanRunItem(string IdempotencyKey, string ManifestId, string Platform, string Pool, IReadOnlyDictionary<string, string> Modules,
    string Status, string? Reason, Guid? BuildId, string? Image, IReadOnlyList<PlanRunTest> Tests, string? DispatchKind,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? ExecutorId, JsonElement? Error);

public sealed record PlanRunCounts(int Total, int Pending, int Queued, int Running, int Passed, int Failed, int Reused, int Expired, int DeadLettered);

public sealed record PlanRunSummary(int Total, int Built, int Reused, int Passed, int Failed, int Expired, int DeadLettered);

/// <summary>GET /api/plans/{id}: a submitted plan's items, counts, and (same shape as `factory run --json`) its summary.</summary>
public sealed record PlanRunView(Guid Id, string PlanId, string ManifestId, string Status, DateTimeOffset SubmittedAt,
    PlanRunCounts Counts, IReadOnlyList<PlanRunItem> Items, PlanRunSummary Summary)
{
    public static async Task<PlanRunView?> LoadAsync(Guid id, PlanRunStore runs, ICompatibilityRecordStore records, CancellationToken ct)
    {
        var run = await runs.GetRunAsync(id, ct);
        if (run is null) return null;
        var rows = await runs.GetItemsAsync(id, ct);
        var items = new List<PlanRunItem>();
        foreach (var row in rows)
        {
            var record = row.BuildId is { } b && row.State is not (ItemState.Pending or ItemState.Queued or ItemState.Running) ? await records.GetAsync(b, ct) : null;
            var status = row.State == ItemState.Reused ? ItemState.Reused : record?.Status ?? row.State;
            items.Add(new PlanRunItem(row.Item.IdempotencyKey, row.Item.ManifestId, row.Item.Platform, row.Item.Pool,
                row.Item.Modules.ToDictionary(m => m.Slot, m => m.Version), status,
                row.State == ItemState.Reused ? null : record?.Reason, row.BuildId, record?.Image,
                record?.Tests.Select(t => new PlanRunTest(t.Name, t.Status)).ToList() ?? [], row.DispatchKind, row.StartedAt, row.FinishedAt, row.ExecutorId,
                row.Error is null ? null : JsonDocument.Parse(row.Error).RootElement.Clone()));
        }
        int Count(string s) => items.Count(i => i.Status == s);
        var counts = new PlanRunCounts(items.Count, Count(ItemState.Pending), Count(ItemState.Queued), Count(ItemState.Running),
            Count(RecordStatus.Passed), Count(RecordStatus.Failed), Count(ItemState.Reused), Count(RecordStatus.Expired), Count(ItemState.DeadLettered));
        var summary = new PlanRunSummary(items.Count, items.Count(i => i.DispatchKind == DispatchKind.Build && i.Status is RecordStatus.Passed or RecordStatus.Failed),
            counts.Reused, counts.Passed, counts.Failed, counts.Expired, counts.DeadLettered);
        var done = items.All(i => ItemState.IsTerminal(i.Status));
        return new PlanRunView(run.Id, run.PlanId, run.ManifestId, done ? "completed" : "running", run.SubmittedAt, counts, items, summary);
    }
}
