using Factory.Contracts.Records;

namespace Factory.ResultsConsumer;

/// <summary>A record waiting in <see cref="RecordGroupWriter"/>, and where its consume waits for the outcome.</summary>
internal sealed class PendingRecord(CompatibilityRecord record)
{
    public CompatibilityRecord Record { get; } = record;
    /// <summary>Completed off the writer loop, so a waiter's continuation (publishing its event) never holds up the next group.</summary>
    public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
