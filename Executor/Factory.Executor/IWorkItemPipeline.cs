using Factory.Contracts.Messages;

namespace Factory.Executor;

/// <summary>Runs one delivery of a work item to its result; throws only when our infrastructure failed.</summary>
public interface IWorkItemPipeline
{
    Task<WorkItemCompleted> RunAsync(ExecuteWorkItem command, Delivery delivery, CancellationToken ct);
}
