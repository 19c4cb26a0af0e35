using System.Text.Json;
using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.State;
using Factory.Records;

namespace Factory.ControlPlane.Runs;

/// <summary>
/// GET /api/plans/{id}: a submitted plan's counts and summary (the same shape as `factory run --json`) and, unless
/// asked not to, its items with what their records say. Two queries for the items and one for all their records.
/// </summary>
public sealed record PlanRunView(Guid Id, string PlanId, string ManifestId, string Status, DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt,
    PlanRunCounts Counts, IReadOnlyList<PlanRunItem> Items, PlanRunSummary Summary)
{
    public const string Running = "running";
    public const string Completed = "completed";

    public static async Task<PlanRunView?> LoadAsync(Guid id, IPlanStateStore state, ICompatibilityRecordStore records, bool withItems, CancellationToken ct)
    {
        var run = await state.GetRunAsync(id, ct);
        if (run is null) return null;
        if (!withItems)
        {
            var counts = await state.CountItemsAsync(id, ct);
            return Of(run, counts, []);
        }
        var rows = await state.GetItemsAsync(id, ct);
        var finished = rows.Where(r => ItemState.IsTerminal(r.State) && r.BuildId is not null).Select(r => r.BuildId!.Value).Distinct().ToList();
        var byBuild = (await records.GetManyAsync(finished, ct)).ToDictionary(r => r.BuildId);
        var items = rows.Select(row =>
        {
            var record = row.BuildId is { } b && ItemState.IsTerminal(row.State) ? byBuild.GetValueOrDefault(b) : null;
            return new PlanRunItem
            {
                IdempotencyKey = row.Item.IdempotencyKey,
                ManifestId = row.Item.ManifestId,
                Platform = row.Item.Platform,
                Pool = row.Item.Pool,
                Modules = row.Item.Modules.ToDictionary(m => m.Slot, m => m.Version),
                Status = row.State,
                Reason = row.State == ItemState.Reused ? null : record?.Reason,
                BuildId = row.BuildId,
                Image = record?.Image,
                Tests = record?.Tests.Select(t => new PlanRunTest(t.Name, t.Status)).ToList() ?? [],
                DispatchKind = row.DispatchKind,
                QueuedAt = row.QueuedAt,
                StartedAt = row.StartedAt,
                FinishedAt = row.FinishedAt,
                ExecutorId = row.ExecutorId,
                Attempt = row.Attempt,
                Error = row.Error is null ? null : JsonDocument.Parse(row.Error).RootElement.Clone(),
            };
        }).ToList();
        var itemCounts = PlanRunCountsOf.Rows(rows.GroupBy(r => (r.State, r.DispatchKind)).Select(g => (g.Key.State, g.Key.DispatchKind, g.Count())));
        return Of(run, itemCounts, items);
    }

    private static PlanRunView Of(PlanRunRow run, PlanRunCounts counts, IReadOnlyList<PlanRunItem> items) =>
        new(run.Id, run.PlanId, run.ManifestId, counts.Done ? Completed : Running, run.SubmittedAt, run.CompletedAt, counts, items, PlanRunSummary.Of(counts));
}
