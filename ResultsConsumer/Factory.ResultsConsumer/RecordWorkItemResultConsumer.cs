using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Messaging;
using Factory.Signing;
using MassTransit;

namespace Factory.ResultsConsumer;

/// <summary>
/// Turns an executor's result into a durable compatibility record, then announces it. Only a result whose record
/// signature verifies against the keyring is recorded; any other is refused (dead-lettered with its reason). The record is
/// written with those of other results arriving at the same moment (<see cref="RecordGroupWriter"/>), and announced with
/// the other records of that moment (<see cref="GroupPublisher{TItem, TGroup}"/>) before the result is acknowledged.
/// </summary>
public sealed class RecordWorkItemResultConsumer(RecordGroupWriter records, GroupPublisher<CompatibilityRecorded, CompatibilityRecordedGroup> announcements, TrustedKeys keys, TimeProvider clock) : IConsumer<WorkItemCompleted>
{
    public async Task Consume(ConsumeContext<WorkItemCompleted> context)
    {
        using var span = ResultsConsumerTelemetry.Source.StartActivity("record");
        span?.SetTag("factory.build_id", context.Message.BuildId);
        span?.SetTag("factory.idempotency_key", context.Message.Item.IdempotencyKey);
        var verdict = ResultSignature.Check(context.Message, keys.Verify);
        if (!verdict.Trusted)
        {
            ResultsConsumerTelemetry.ResultsRefused.Add(1, new KeyValuePair<string, object?>("factory.refusal", verdict.Refusal.ToString().ToLowerInvariant()));
            throw new UntrustedResultException(context.Message.BuildId, verdict.Detail);
        }
        var now = clock.GetUtcNow();
        var record = CompatibilityRecordFactory.From(context.Message, now) with { Timings = WithRecordStage(context.Message.Timings, now), SignedBy = verdict.KeyId };
        await records.SaveAsync(record, context.CancellationToken);
        await announcements.PublishAsync(new CompatibilityRecorded
        {
            BuildId = record.BuildId,
            PlanId = record.PlanId,
            IdempotencyKey = record.IdempotencyKey,
            Status = record.Status,
            Pool = context.Message.Item.Pool,
        }, context.CancellationToken);
        ResultsConsumerTelemetry.RecordsWritten.Add(1, new("factory.pool", context.Message.Item.Pool), new("factory.status", record.Status));
    }

    /// <summary>
    /// The record stage runs from the executor's finish (it then signs the record and publishes the result, which travels
    /// to us) to the record being handed to the store: the write itself cannot be inside the record it writes. Clocks of
    /// two hosts may disagree: never negative.
    /// </summary>
    public static StageTimings WithRecordStage(StageTimings timings, DateTimeOffset now)
    {
        var start = timings.FinishedAt == default || timings.FinishedAt > now ? now : timings.FinishedAt;
        var ms = (long)(now - start).TotalMilliseconds;
        return timings with { RecordMs = ms, Stages = [.. timings.Stages, new StageSpan(StageName.Record, start, ms)] };
    }
}
