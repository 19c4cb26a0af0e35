namespace Factory.Contracts.Messages;

/// <summary>
/// Published by an executor for the builds it started while its previous such message was being published: one message
/// for several starts when it is busy, one per start when it is not.
/// </summary>
public sealed record WorkItemStartedGroup
{
    public required IReadOnlyList<WorkItemStarted> Starts { get; init; }
}
