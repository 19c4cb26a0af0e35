using System.Net.Sockets;
using Factory.Contracts.Failures;
using Factory.Executor;
using Factory.Manifests;

namespace Factory.UnitTests;

/// <summary>FailureClassifier.IsRetryable: infrastructure trouble is retried, bugs and bad input are not.</summary>
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
    };

    public static TheoryData<Exception> NotRetryable() => new()
    {
        new ArgumentException("bad argument"),
        new InvalidInputException("plans/p.yaml", "priority", "out of range"),
        new InvalidOperationException("bug"),
        new NullReferenceException(),
        new OperationCanceledException(),
        new TaskCanceledException(),
    };

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
}
