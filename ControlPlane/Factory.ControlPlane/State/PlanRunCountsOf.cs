using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;

namespace Factory.ControlPlane.State;

public static class PlanRunCountsOf
{
    /// <summary>From (state, dispatch kind, count) rows.</summary>
    public static PlanRunCounts Rows(IEnumerable<(string State, string? Kind, int Count)> rows)
    {
        var list = rows.ToList();
        int N(string state) => list.Where(r => r.State == state).Sum(r => r.Count);
        var built = list.Where(r => r.Kind == DispatchKind.Build && r.State is ItemState.Passed or ItemState.Failed).Sum(r => r.Count);
        return new PlanRunCounts(list.Sum(r => r.Count), N(ItemState.Pending), N(ItemState.Queued), N(ItemState.Running), N(ItemState.Passed),
            N(ItemState.Failed), N(ItemState.Reused), N(ItemState.Expired), N(ItemState.DeadLettered), N(ItemState.Cancelled), built);
    }
}
