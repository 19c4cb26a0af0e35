using Factory.ControlPlane.Dispatch;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>Decides a dispatch pass on the snapshot the store took (records are fetched by the decider).</summary>
public delegate Task<IReadOnlyList<DispatchDecision>> DispatchDecider(DispatchSnapshot snapshot, CancellationToken ct);

/// <summary>Decides what to do with lapsed leases.</summary>
public delegate Task<IReadOnlyList<LeaseDecision>> LeaseDecider(IReadOnlyList<LapsedBuild> lapsed, CancellationToken ct);

/// <summary>
/// The control plane's state: submitted plans and their items, the builds in flight (one per key, whoever asks) with
/// their leases, and the executors heard from. Decisions are made outside (DispatchPolicy, LeasePolicy); a store
/// takes the snapshot they need and applies what they decided, each in one transaction, so that concurrent passes
/// never exceed a plan's budget, never make two builds of one key, and never attach an item to a build that ended.
/// Two implementations pass one contract suite: SQLite (embedded) and PostgreSQL (fleet).
/// All times come from the caller's clock.
/// </summary>
public interface IPlanStateStore
{
    Task EnsureSchemaAsync(CancellationToken ct);

    Task CreateRunAsync(PlanRunRow run, IReadOnlyList<NewPlanItem> items, DateTimeOffset now, CancellationToken ct);

    /// <summary>One dispatch pass over the plans in scope: at most <paramref name="batch"/> pending items of a plan are looked at.</summary>
    Task<DispatchOutcome> DispatchAsync(DispatchScope scope, DispatchDecider decide, DateTimeOffset now, LeaseOptions leases, int batch, CancellationToken ct);

    /// <summary>The broker confirmed these builds: they are queued now, looked at again after the queued lease.</summary>
    Task MarkSentAsync(IReadOnlyCollection<Guid> buildIds, DateTimeOffset now, LeaseOptions leases, CancellationToken ct);

    /// <summary>Executors started builds: they and their items are running, leased to those executors.</summary>
    Task MarkStartedAsync(IReadOnlyList<WorkItemStarted> started, DateTimeOffset now, LeaseOptions leases, CancellationToken ct);

    /// <summary>
    /// Draining executors handed these builds back to their queues: each that is still leased to the executor and attempt
    /// that handed it back (not yet started elsewhere) is queued again under the queued lease, and so are its items. The
    /// build keeps that executor's id while queued, so that a heartbeat it sent before the hand-back, arriving after it,
    /// does not lease the build to it again (see RecordHeartbeatsAsync).
    /// </summary>
    Task MarkHandedBackAsync(IReadOnlyList<WorkItemHandedBack> handedBack, DateTimeOffset now, LeaseOptions leases, CancellationToken ct);

    /// <summary>Builds ended: their items take their state, their keys leave flight.</summary>
    Task<CompletionOutcome> CompleteBuildsAsync(IReadOnlyList<BuildCompletion> completions, DateTimeOffset now, CancellationToken ct);

    /// <summary>Notes the executors and renews the leases of the builds they say they run (not of one a beat's executor handed back).</summary>
    Task RecordHeartbeatsAsync(IReadOnlyList<ExecutorHeartbeat> beats, DateTimeOffset now, LeaseOptions leases, CancellationToken ct);

    /// <summary>One pass over builds whose lease lapsed (at most <paramref name="limit"/>), applying what the decider says.</summary>
    Task<LeaseOutcome> ReapAsync(LeaseDecider decide, DateTimeOffset now, LeaseOptions leases, int limit, CancellationToken ct);

    /// <summary>
    /// Cancels a plan: its open items (pending, queued, running) become cancelled and the plan completes; builds in flight
    /// run on (other plans may share them) and are recorded, but complete none of its items. The number of items
    /// cancelled; null when there is no such plan.
    /// </summary>
    Task<int?> CancelRunAsync(Guid id, DateTimeOffset now, CancellationToken ct);

    Task<PlanRunRow?> GetRunAsync(Guid id, CancellationToken ct);
    Task<IReadOnlyList<PlanItemRow>> GetItemsAsync(Guid runId, CancellationToken ct);
    Task<PlanRunCounts> CountItemsAsync(Guid runId, CancellationToken ct);
    Task<IReadOnlyList<PlanRunRow>> ListRunsAsync(int limit, CancellationToken ct);
    Task<IReadOnlyList<ExecutorRow>> ListExecutorsAsync(DateTimeOffset seenSince, CancellationToken ct);
    Task<IReadOnlyList<BuildInFlightRow>> ListInFlightAsync(CancellationToken ct);
}
