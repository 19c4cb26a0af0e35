namespace Factory.Messaging;

/// <summary>
/// How a consumer retries what <see cref="Factory.Contracts.Failures.FailureClassifier"/> calls retryable before it
/// gives the message up (exponential backoff with jitter). Each host binds its own, with its own defaults
/// (<c>Executor:Retry</c>, <c>ResultsConsumer:Retry</c>, <c>ControlPlane:Retry</c>).
/// </summary>
public sealed class RetryOptions
{
    public int Limit { get; set; } = 5;
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromSeconds(2);
}
