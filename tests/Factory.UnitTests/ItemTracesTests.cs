using System.Diagnostics;
using Factory.ControlPlane.Telemetry;
using Factory.Contracts.Messages;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>Each item of a plan gets a trace of its own, linked to the submission; its sends are spans in that trace.</summary>
public sealed class ItemTracesTests
{
    [Fact]
    public void Every_item_starts_its_own_trace_linked_to_the_submission_and_its_dispatch_joins_that_trace()
    {
        var run = Guid.NewGuid();
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ControlPlaneTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);

        using var submission = new Activity("POST /api/plans").SetIdFormat(ActivityIdFormat.W3C).Start();
        var items = ControlPlaneTelemetry.StartItemTraces([WorkItems.Make("k1"), WorkItems.Make("k2")], run);

        Assert.Same(submission, Activity.Current);
        var parents = items.Select(i => ActivityContext.Parse(i.TraceParent!, null)).ToList();
        Assert.Equal(2, parents.Select(p => p.TraceId).Distinct().Count());
        Assert.DoesNotContain(submission.TraceId, parents.Select(p => p.TraceId));
        var accepted = spans.Where(s => s.OperationName == "accept_item" && Equals(s.GetTagItem("factory.plan_run_id"), run)).ToList();
        Assert.Equal(2, accepted.Count);
        Assert.All(accepted, s =>
        {
            Assert.Null(s.Parent);
            Assert.Equal(submission.SpanId, Assert.Single(s.Links).Context.SpanId);
        });

        using (var dispatch = ControlPlaneTelemetry.StartDispatch(new ExecuteWorkItem { BuildId = Guid.NewGuid(), Item = items[1], Attempt = 2 }))
        {
            Assert.NotNull(dispatch);
            Assert.Equal(parents[1].TraceId, dispatch.TraceId);
            Assert.Equal(parents[1].SpanId, dispatch.ParentSpanId);
            Assert.Equal(2, dispatch.GetTagItem("factory.attempt"));
        }
    }
}
