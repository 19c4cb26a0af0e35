using System.Reflection;
using Factory.ControlPlane.Runs;
using Factory.Contracts.Messages;

namespace Factory.UnitTests.Support;

/// <summary>
/// A plan-state store that only keeps what the control plane's event consumers hand it: the starts marked and the
/// builds completed (a completion unblocks nothing). Any other call fails the test.
/// </summary>
public class EventRecordingPlanState : DispatchProxy
{
    private readonly List<WorkItemStarted> _started = [];
    private readonly List<BuildCompletion> _completed = [];

    public static IPlanStateStore Create() => Create<IPlanStateStore, EventRecordingPlanState>();

    public static IReadOnlyList<WorkItemStarted> Started(IPlanStateStore proxy)
    {
        var store = (EventRecordingPlanState)(object)proxy;
        lock (store._started) return store._started.ToList();
    }

    public static IReadOnlyList<BuildCompletion> Completed(IPlanStateStore proxy)
    {
        var store = (EventRecordingPlanState)(object)proxy;
        lock (store._completed) return store._completed.ToList();
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod!.Name)
        {
            case nameof(IPlanStateStore.MarkStartedAsync):
                lock (_started) _started.AddRange((IReadOnlyList<WorkItemStarted>)args![0]!);
                return Task.CompletedTask;
            case nameof(IPlanStateStore.CompleteBuildsAsync):
                lock (_completed) _completed.AddRange((IReadOnlyList<BuildCompletion>)args![0]!);
                return Task.FromResult(CompletionOutcome.None);
            default:
                throw new NotSupportedException($"{targetMethod.Name} is not expected of the event consumers here");
        }
    }
}
