using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.ResultsConsumer.Records;
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

public static class CompatibilityRecordFactory
{
    public static CompatibilityRecord From(WorkItemCompleted result, DateTimeOffset recordedAt)
    {
        var item = result.Item;
        return new CompatibilityRecord
        {
            BuildId = result.BuildId,
            IdempotencyKey = item.IdempotencyKey,
            PlanId = item.PlanId,
            ManifestId = item.ManifestId,
            TemplateId = item.TemplateId,
            TemplateVersion = item.TemplateVersion,
            Modules = item.Modules,
            BaseDigest = item.BaseDigest,
            Platform = item.Platform,
            Accelerator = item.Accelerator,
            Status = result.Status,
            Reason = result.Reason,
            Tests = result.Tests,
            Image = result.Image,
            TestSuiteId = item.TestSuiteId,
            TestSuiteHash = item.TestSuiteHash,
            Executor = result.Executor,
            Timings = result.Timings,
            Evidence = result.Evidence,
            LogTail = result.LogTail,
            RecordedAt = recordedAt,
        };
    }
}
