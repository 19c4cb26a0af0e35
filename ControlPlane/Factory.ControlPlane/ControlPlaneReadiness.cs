namespace Factory.ControlPlane;

/// <summary>Set once the plan-state schema and the broker topology exist: until then the control plane takes no plan.</summary>
public sealed class ControlPlaneReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool IsReady => _ready.Task.IsCompleted;
    public Task WhenReady => _ready.Task;
    public void MarkReady() => _ready.TrySetResult();
}
