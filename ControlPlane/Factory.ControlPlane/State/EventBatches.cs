using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.State;

/// <summary>Folds a batch of events into at most one per row it touches (one statement may not change a row twice).</summary>
public static class EventBatches
{
    public static IReadOnlyList<WorkItemStarted> LatestStarts(IEnumerable<WorkItemStarted> started) =>
        started.GroupBy(s => s.BuildId).Select(g => g.MaxBy(s => s.StartedAt)!).ToList();

    public static IReadOnlyList<ExecutorHeartbeat> LatestBeats(IEnumerable<ExecutorHeartbeat> beats) =>
        beats.GroupBy(b => (b.ExecutorId, b.Pool)).Select(g => g.MaxBy(b => b.SentAt)!).ToList();

    public static IReadOnlyList<WorkItemHandedBack> LatestHandBacks(IEnumerable<WorkItemHandedBack> handedBack) =>
        handedBack.GroupBy(h => h.BuildId).Select(g => g.MaxBy(h => h.HandedBackAt)!).ToList();

    public static IReadOnlyList<(Guid BuildId, string ExecutorId, DateTimeOffset SentAt)> RunningBuilds(IEnumerable<ExecutorHeartbeat> beats) =>
        beats.SelectMany(b => b.RunningBuilds.Select(id => (BuildId: id, b.ExecutorId, b.SentAt)))
            .GroupBy(r => r.BuildId).Select(g => g.MaxBy(r => r.SentAt)).ToList();

    /// <summary>A record wins over a dead letter of the same build (a replay that passed).</summary>
    public static IReadOnlyList<BuildCompletion> OnePerBuild(IEnumerable<BuildCompletion> completions) =>
        completions.GroupBy(c => c.BuildId).Select(g => g.FirstOrDefault(c => c.State != ItemState.DeadLettered) ?? g.First()).ToList();
}
