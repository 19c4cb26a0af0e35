using System.Text.Json;
using Factory.ControlPlane.Dispatch;
using Factory.ControlPlane.Runs;
using Factory.ControlPlane.Telemetry;
using Factory.Contracts;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>An executor gave a build up: its items show dead_lettered with the error file; a replay can still complete them.</summary>
public sealed class WorkItemDeadLetteredConsumer(BuildCompletions completions) : IConsumer<WorkItemDeadLettered>
{
    public Task Consume(ConsumeContext<WorkItemDeadLettered> context)
    {
        var m = context.Message;
        var error = JsonSerializer.Serialize(new { m.Classification, m.Attempts, m.Error, error_file = m.ErrorFile }, FactoryJson.Options);
        ControlPlaneMetrics.DeadLettered.Add(1, ControlPlaneMetrics.Pool(m.Pool));
        return completions.CompleteAsync([new BuildCompletion(m.BuildId, m.IdempotencyKey, ItemState.DeadLettered, error)], context.CancellationToken);
    }
}
