namespace Factory.Executor;

/// <summary>A delivery this executor does not take (it has handled all it may): the transport hands it back to its queue.</summary>
public sealed class WorkItemRefusedException(string message) : Exception(message);
