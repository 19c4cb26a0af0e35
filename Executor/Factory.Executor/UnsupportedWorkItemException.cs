using Factory.Contracts.Failures;
using Factory.Contracts.Messages;

namespace Factory.Executor;

/// <summary>A message this executor cannot read as a work item: never retried, dead-lettered as an unsupported message.</summary>
public sealed class UnsupportedWorkItemException(string message) : Exception(message), IClassifiedFailure
{
    public string Classification => FailureClassification.UnsupportedMessage;

    /// <summary>Throws unless this is a work item of the schema version executors read (<paramref name="reader"/> names who reads it).</summary>
    public static void ThrowIfUnreadable(ExecuteWorkItem command, string reader)
    {
        if (command.SchemaVersion != ExecuteWorkItem.CurrentSchemaVersion || command.Item is null)
            throw new UnsupportedWorkItemException($"work item schema version {command.SchemaVersion} is not supported: {reader} reads version {ExecuteWorkItem.CurrentSchemaVersion} with an item");
    }
}
