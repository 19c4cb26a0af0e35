using Factory.Contracts.Messages;

namespace Factory.ControlPlane.Runs;

/// <summary>Puts a work item on its pool's queue, with the plan's priority.</summary>
public interface IWorkSender
{
    Task SendAsync(ExecuteWorkItem command, CancellationToken ct);
}
