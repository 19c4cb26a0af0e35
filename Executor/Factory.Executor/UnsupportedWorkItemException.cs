using Factory.Contracts.Failures;

namespace Factory.Executor;

/// <summary>A message this executor cannot read as a work item: never retried, dead-lettered as an unsupported message.</summary>
public sealed class UnsupportedWorkItemException(string message) : Exception(message), IClassifiedFailure
{
    public string Classification => FailureClassification.UnsupportedMessage;
}
