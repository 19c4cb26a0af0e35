namespace Factory.Contracts.Messages;

/// <summary>
/// Published by the results consumer for the records made durable while its previous such message was being published:
/// one message for several records when it is busy, one per record when it is not.
/// </summary>
public sealed record CompatibilityRecordedGroup
{
    public required IReadOnlyList<CompatibilityRecorded> Records { get; init; }
}
