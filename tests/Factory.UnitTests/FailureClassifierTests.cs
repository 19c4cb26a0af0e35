using System.Net.Sockets;
using Factory.Contracts.Failures;
using Factory.Executor;
using Factory.Manifests;
using RabbitMQ.Client.Exceptions;

namespace Factory.UnitTests;

/// <summary>FailureClassifier: infrastructure trouble is retried unless it says trying again changes nothing; bugs and bad input are not.</summary>
public sealed class FailureClassifierTests
{
    public static TheoryData<Exception> Retryable() => new()
    {
        new InfrastructureException("registry", "connection refused"),
        new IOException("disk full"),
        new FileNotFoundException("gone"),
        new HttpRequestException("502"),
        new TimeoutException("slow"),
        new SocketException((int)SocketError.ConnectionRefused),
        new MassTransit.ConnectionException("broker connection lost"),
        new MassTransit.RabbitMqConnectionException("broker connection lost"),
        new MassTransit.TransportUnavailableException("transport down"),
        new BrokerUnreachableException(new Exception("no route to the broker")), // recognised by its namespace, not by its cause
    };

    public static TheoryData<Exception> NotRetryable() => new()
    {
        new ArgumentException("bad argument"),
        new InvalidInputException("plans/p.yaml", "priority", "out of range"),
        new InvalidOperationException("bug"),
        new NullReferenceException(),
        new OperationCanceledException(),
        new TaskCanceledException(),
        new InfrastructureException("object storage http://s3", "access denied") { Transient = false },
        new MassTransit.ConfigurationException("no such endpoint"),
        new UnsupportedWorkItemException("schema version 9"),
        new UntrustedResultException(Guid.Empty, "signed by sha256:ab, which is not in the keyring"),
    };

    [Fact]
    public void A_result_refused_for_its_signature_is_labelled_untrusted() =>
        Assert.Equal(FailureClassification.UntrustedResult, FailureClassifier.Classify(new UntrustedResultException(Guid.Empty, "unsigned")));

    [Theory]
    [MemberData(nameof(Retryable))]
    public void Infrastructure_failures_are_retryable(Exception exception) => Assert.True(FailureClassifier.IsRetryable(exception));

    [Theory]
    [MemberData(nameof(NotRetryable))]
    public void Bugs_bad_input_and_cancellation_are_not_retryable(Exception exception) => Assert.False(FailureClassifier.IsRetryable(exception));

    [Fact]
    public void A_wrapped_infrastructure_exception_is_retryable()
    {
        Assert.True(FailureClassifier.IsRetryable(new InvalidOperationException("outer", new InfrastructureException("engine", "down"))));
        Assert.True(FailureClassifier.IsRetryable(new Exception("outer", new Exception("middle", new IOException("inner")))));
        Assert.True(FailureClassifier.IsRetryable(new AggregateException(new HttpRequestException("reset"))));
    }

    [Fact]
    public void A_wrapped_bug_is_not_retryable()
    {
        Assert.False(FailureClassifier.IsRetryable(new InvalidOperationException("outer", new ArgumentException("inner"))));
    }

    [Fact]
    public void Cancellation_is_not_retried_even_when_it_wraps_an_io_error()
    {
        Assert.False(FailureClassifier.IsRetryable(new OperationCanceledException("stopping", new IOException("pipe closed"))));
    }

    [Fact]
    public void An_infrastructure_failure_that_is_not_transient_is_not_retried_even_around_an_io_error()
    {
        var denied = new InfrastructureException("postgresql", "access denied", new IOException("closed")) { Transient = false };
        Assert.False(FailureClassifier.IsRetryable(denied));
        Assert.False(FailureClassifier.IsRetryable(new InvalidOperationException("outer", denied)));
        Assert.True(new InfrastructureException("postgresql", "down").Transient);
    }

    public static TheoryData<Exception, string> Labels() => new()
    {
        { new InfrastructureException("registry", "connection refused"), FailureClassification.Infrastructure },
        { new InfrastructureException("object storage", "access denied") { Transient = false }, FailureClassification.Infrastructure },
        { new HttpRequestException("reset"), FailureClassification.Infrastructure },
        { new MassTransit.RabbitMqConnectionException("lost"), FailureClassification.Infrastructure },
        { new UnsupportedWorkItemException("schema version 9"), FailureClassification.UnsupportedMessage },
        { new ArgumentException("bug"), FailureClassification.InternalError },
    };

    [Theory]
    [MemberData(nameof(Labels))]
    public void A_given_up_item_is_labelled_by_what_failed(Exception exception, string label) =>
        Assert.Equal(label, FailureClassifier.Classify(exception));

    [Fact]
    public void The_labels_are_the_ones_error_files_and_dead_letter_notices_carry()
    {
        Assert.Equal(("infrastructure", "unsupported_message", "internal_error"),
            (FailureClassification.Infrastructure, FailureClassification.UnsupportedMessage, FailureClassification.InternalError));
    }
}
