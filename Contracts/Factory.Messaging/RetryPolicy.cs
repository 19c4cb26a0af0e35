using Factory.Contracts.Failures;
using MassTransit;

namespace Factory.Messaging;

/// <summary>The one retry configuration of every receive endpoint: what to retry is FailureClassifier's call, how often is the host's.</summary>
public static class RetryPolicy
{
    public static void Configure(IRetryConfigurator retry, RetryOptions options)
    {
        retry.Exponential(options.Limit, options.MinInterval, options.MaxInterval, options.IntervalDelta);
        retry.Handle<Exception>(FailureClassifier.IsRetryable);
    }
}
