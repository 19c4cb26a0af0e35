using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Records;
using MassTransit;

namespace Factory.ResultsConsumer;

/// <summary>Turns an executor's result into a durable compatibility record, then announces it.</summary>
public sealed class RecordWorkItemResultConsumer(ICompatibilityRecordStore store, TimeProvider clock) : IConsumer<WorkItemCompleted>
{
    public async Task Consume(ConsumeContext<WorkItemCompleted> context)
    {
        var record = CompatibilityRecordFactory.From(context.Message, clock.GetUtcNow());
        await store.SaveAsync(record, context.CancellationToken);
        await context.Publish(new CompatibilityRecorded
        {
            BuildId = record.BuildId,
            PlanId = record.PlanId,
            IdempotencyKey = record.IdempotencyKey,
            Status = record.Status,
        });
    }
}
