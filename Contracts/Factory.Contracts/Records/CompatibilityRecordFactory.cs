using System.Text.Json;
using Factory.Contracts.Messages;

namespace Factory.Contracts.Records;

/// <summary>The record made from an executor's result; the same mapping signs it (executor) and stores it (results consumer).</summary>
public static class CompatibilityRecordFactory
{
    private static readonly JsonSerializerOptions Compact = new(FactoryJson.Options) { WriteIndented = false };

    /// <summary>
    /// What the record signature covers: the record as compact JSON, without what is only known once the executor
    /// signed it: its recorded_at, the time the record stage took (record_ms and the "record" span) and the key that
    /// signed it (signed_by), all set when stored, and the record_signature evidence entry (which points at the
    /// signature itself).
    /// </summary>
    public static byte[] SignedPayload(CompatibilityRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record with
        {
            RecordedAt = default,
            SignedBy = null,
            Timings = record.Timings with { RecordMs = 0, Stages = record.Timings.Stages.Where(s => s.Stage != StageName.Record).ToList() },
            Evidence = record.Evidence.Where(e => e.Kind != EvidenceKind.RecordSignature).ToList(),
        }, Compact);

    /// <summary>
    /// The record of an item whose deadline passed before it was built: nothing was built or tested. The control plane
    /// makes it for items it expires before dispatch; an executor that finds an item late publishes the same result.
    /// </summary>
    public static WorkItemCompleted Expired(WorkItem item, Guid buildId, ExecutorIdentity by, DateTimeOffset now) => new()
    {
        BuildId = buildId,
        Item = item,
        Status = RecordStatus.Expired,
        Reason = FailureReason.DeadlinePassed,
        Executor = by,
        Timings = new StageTimings { StartedAt = now, FinishedAt = now },
        LogTail = $"deadline {item.Deadline:O} passed before the item was picked up at {now:O}; nothing was built",
    };

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
