using Factory.Contracts.Failures;
using Factory.Executor.Drain;

namespace Factory.UnitTests;

/// <summary>
/// DeliveryEndPolicy: once the bus cancelled a delivery (a draining executor's grace ran out) the build is handed back,
/// whatever the cancelled run threw; otherwise infrastructure is retried up to the limit and anything else is given up on.
/// </summary>
public sealed class DeliveryEndPolicyTests
{
    private const int Limit = 5;

    public static TheoryData<Exception> WhatACancelledRunThrows() => new()
    {
        new OperationCanceledException(),
        new TaskCanceledException(),
        // A docker CLI killed mid-build, a container removed under a test, a broken pipe: consequences of the cancellation.
        new InfrastructureException("docker engine", "docker build failed: signal: killed"),
        new InfrastructureException("registry", "refused") { Transient = false },
        new IOException("broken pipe"),
        new InvalidOperationException("a bug that surfaced while stopping"),
    };

    [Theory]
    [MemberData(nameof(WhatACancelledRunThrows))]
    public void A_cancelled_delivery_is_handed_back_never_dead_lettered(Exception exception)
    {
        Assert.Equal(DeliveryEnd.HandBack, DeliveryEndPolicy.OnFailure(exception, deliveryCancelled: true, retryAttempt: 0, Limit));
        Assert.Equal(DeliveryEnd.HandBack, DeliveryEndPolicy.OnFailure(exception, deliveryCancelled: true, retryAttempt: Limit, Limit));
    }

    [Fact]
    public void Infrastructure_trouble_is_left_to_the_retry_policy_until_the_limit_then_dead_lettered()
    {
        var down = new InfrastructureException("registry", "connection refused");
        Assert.Equal(DeliveryEnd.Rethrow, DeliveryEndPolicy.OnFailure(down, deliveryCancelled: false, retryAttempt: 0, Limit));
        Assert.Equal(DeliveryEnd.Rethrow, DeliveryEndPolicy.OnFailure(down, deliveryCancelled: false, retryAttempt: Limit - 1, Limit));
        Assert.Equal(DeliveryEnd.DeadLetter, DeliveryEndPolicy.OnFailure(down, deliveryCancelled: false, retryAttempt: Limit, Limit));
    }

    [Fact]
    public void What_no_retry_can_change_is_dead_lettered_at_once()
    {
        Assert.Equal(DeliveryEnd.DeadLetter,
            DeliveryEndPolicy.OnFailure(new InfrastructureException("evidence store", "access denied") { Transient = false }, deliveryCancelled: false, 0, Limit));
        Assert.Equal(DeliveryEnd.DeadLetter, DeliveryEndPolicy.OnFailure(new InvalidOperationException("bug"), deliveryCancelled: false, 0, Limit));
    }

    [Fact]
    public void A_cancellation_the_bus_did_not_ask_for_is_left_to_the_bus()
    {
        Assert.Equal(DeliveryEnd.Rethrow, DeliveryEndPolicy.OnFailure(new OperationCanceledException(), deliveryCancelled: false, Limit, Limit));
    }
}
