using Factory.Contracts.Failures;

namespace Factory.Executor.Drain;

/// <summary>
/// Decides what a failed run of a delivery means. Once the bus has cancelled the delivery (the executor is draining and
/// the grace ran out, or the channel is gone) whatever the run threw is a consequence of that cancellation (a killed
/// docker CLI, a removed container): the build is handed back, never dead-lettered or recorded as a failure. Otherwise
/// an infrastructure failure is retried until the limit and then given up on, anything else is given up on at once,
/// and a cancellation the bus did not ask for is left to the bus.
/// </summary>
public static class DeliveryEndPolicy
{
    public static DeliveryEnd OnFailure(Exception exception, bool deliveryCancelled, int retryAttempt, int retryLimit) => exception switch
    {
        _ when deliveryCancelled => DeliveryEnd.HandBack,
        OperationCanceledException => DeliveryEnd.Rethrow,
        _ when !FailureClassifier.IsRetryable(exception) || retryAttempt >= retryLimit => DeliveryEnd.DeadLetter,
        _ => DeliveryEnd.Rethrow,
    };
}
