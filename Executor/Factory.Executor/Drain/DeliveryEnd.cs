namespace Factory.Executor.Drain;

/// <summary>What becomes of a delivery whose run threw (<see cref="DeliveryEndPolicy"/> decides).</summary>
public enum DeliveryEnd
{
    /// <summary>Left to the bus's retry policy, which retries what FailureClassifier calls retryable.</summary>
    Rethrow,
    /// <summary>Given up on: the dead-letter notice goes out, then the message faults to its error queue.</summary>
    DeadLetter,
    /// <summary>The transport took the delivery back (the executor is stopping): it returns to its queue, nothing is recorded.</summary>
    HandBack,
}
