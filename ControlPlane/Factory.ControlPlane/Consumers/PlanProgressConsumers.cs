using System.Text.Json;
using Factory.ControlPlane.Runs;
using Factory.Contracts;
using Factory.Contracts.Messages;
using MassTransit;

namespace Factory.ControlPlane.Consumers;

/// <summary>A record landed: the items waiting on that build are done, and freed budget is dispatched.</summary>
public sealed class CompatibilityRecordedConsumer(PlanRunStore runs, WorkDispatcher dispatcher) : IConsumer<CompatibilityRecorded>
{
    public async Task Consume(ConsumeContext<CompatibilityRecorded> context)
    {
        var m = context.Message;
        await runs.CompleteBuildAsync(m.BuildId, m.IdempotencyKey, m.Status, context.CancellationToken);
        await dispatcher.PumpAsync(context.CancellationToken);
    }
}

public sealed class WorkItemStartedConsumer(PlanRunStore runs) : IConsumer<WorkItemStarted>
{
    public Task Consume(ConsumeContext<WorkItemStarted> context) =>
        runs.MarkStartedAsync(context.Message.BuildId, context.Message.StartedAt, context.Message.ExecutorId, context.CancellationToken);
}

/// <summary>An executor gave a build up: its items show dead_lettered with the error file; a replay can still complete them.</summary>
public sealed class WorkItemDeadLetteredConsumer(PlanRunStore runs, WorkDispatcher dispatcher) : IConsumer<WorkItemDeadLettered>
{
    public async Task Consume(ConsumeContext<WorkItemDeadLettered> context)
    {
        var m = context.Message;
        var error = JsonSerializer.Serialize(new { m.Classification, m.Attempts, m.Error, error_file = m.ErrorFile }, FactoryJson.Options);
        await runs.DeadLetterBuildAsync(m.BuildId, m.IdempotencyKey, error, context.CancellationToken);
        await dispatcher.PumpAsync(context.CancellationToken);
    }
}

public sealed class ExecutorHeartbeatConsumer(PlanRunStore runs) : IConsumer<ExecutorHeartbeat>
{
    public Task Consume(ConsumeContext<ExecutorHeartbeat> context) => runs.RecordHeartbeatAsync(context.Message, context.CancellationToken);
}
