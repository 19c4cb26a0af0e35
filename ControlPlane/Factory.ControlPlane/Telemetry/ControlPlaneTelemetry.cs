using System.Diagnostics;
using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Telemetry;

/// <summary>
/// The control plane's spans. A plan has many items and each gets a trace of its own: when the plan is accepted, every
/// item starts a root span "accept_item" linked to the submission's span (POST /api/plans), and its traceparent travels
/// with the item (<see cref="WorkItem.TraceParent"/>, stored with the plan). Every send of the item's build is a
/// "dispatch" span in that trace, so MassTransit carries it to the executor (its stages) and from there to the results
/// consumer (the record). An item attached to another item's build keeps its own short trace; the build's is the
/// claiming item's.
/// </summary>
public static class ControlPlaneTelemetry
{
    public const string SourceName = "Factory.ControlPlane";
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Each item with a trace of its own, linked to the current span (the submission); unchanged when nobody listens.</summary>
    public static IReadOnlyList<WorkItem> StartItemTraces(IReadOnlyList<WorkItem> items, Guid runId)
    {
        if (!Source.HasListeners()) return items;
        var submission = Activity.Current;
        var links = submission is null ? null : new[] { new ActivityLink(submission.Context) };
        try
        {
            // A root span, not a child of the submission: the items of a plan are separate traces.
            Activity.Current = null;
            return items.Select(item =>
            {
                using var span = Source.StartActivity("accept_item", ActivityKind.Internal, parentContext: default, links: links);
                if (span is null) return item;
                span.SetTag("factory.plan_run_id", runId);
                span.SetTag("factory.idempotency_key", item.IdempotencyKey);
                span.SetTag("factory.pool", item.Pool);
                return item with { TraceParent = span.Id };
            }).ToList();
        }
        finally
        {
            Activity.Current = submission;
        }
    }

    /// <summary>The span of one send of a build, in its item's trace (or under the current span when the item has none).</summary>
    public static Activity? StartDispatch(ExecuteWorkItem command)
    {
        var parent = ActivityContext.TryParse(command.Item.TraceParent, null, out var context) ? context : default;
        var span = Source.StartActivity("dispatch", ActivityKind.Producer, parent);
        span?.SetTag("factory.build_id", command.BuildId);
        span?.SetTag("factory.attempt", command.Attempt);
        span?.SetTag("factory.pool", command.Item.Pool);
        span?.SetTag("factory.idempotency_key", command.Item.IdempotencyKey);
        return span;
    }
}
