using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Polly.CircuitBreaker;

namespace Factory.Evidence;

/// <summary>
/// What an object storage (S3/HTTP) error means, for <see cref="ObjectStorageCalls"/> to translate it: a transient failure
/// becomes a transient InfrastructureException, a denied or refused call one that is not (FailureClassifier decides the retry).
/// </summary>
public static class ObjectStorageErrors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable", "SlowDown", "Throttling",
        "ThrottlingException", "RequestThrottled", "TooManyRequests",
    };

    private static readonly HashSet<string> DeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed",
    };

    public static ObjectStorageFailure Classify(Exception exception) => exception switch
    {
        BrokenCircuitException => ObjectStorageFailure.Permanent, // the circuit's own refusal, not one more failure of the store
        AmazonServiceException { ErrorCode: { } code } when DeniedCodes.Contains(code) => ObjectStorageFailure.Denied,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } => ObjectStorageFailure.Denied,
        AmazonServiceException { ErrorCode: "NoSuchKey" or "NoSuchBucket" or "NotFound" } => ObjectStorageFailure.NotFound,
        AmazonServiceException { StatusCode: HttpStatusCode.NotFound } => ObjectStorageFailure.NotFound,
        AmazonServiceException { ErrorCode: { } code } when TransientCodes.Contains(code) => ObjectStorageFailure.Transient,
        AmazonServiceException { StatusCode: var status } when (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            => ObjectStorageFailure.Transient,
        // No HTTP answer at all (the SDK wraps the network error, with status 0).
        AmazonServiceException { StatusCode: 0, InnerException: { } inner } => Classify(inner),
        HttpRequestException or SocketException or IOException or TimeoutException => ObjectStorageFailure.Transient,
        // An HTTP timeout surfaces as a cancellation the caller did not ask for (the caller's own is never classified).
        OperationCanceledException => ObjectStorageFailure.Transient,
        AmazonClientException { InnerException: { } inner } => Classify(inner),
        _ when exception.InnerException is { } inner => Classify(inner),
        _ => ObjectStorageFailure.Permanent,
    };

    public static bool IsTransient(Exception exception) => Classify(exception) == ObjectStorageFailure.Transient;

    /// <summary>A short account of what went wrong, for the InfrastructureException's message.</summary>
    public static string Describe(Exception exception)
    {
        if (exception is AmazonServiceException { StatusCode: not 0 } s)
        {
            var what = $"{(int)s.StatusCode} {s.ErrorCode ?? s.StatusCode.ToString()}";
            return string.IsNullOrWhiteSpace(s.Message) ? what : $"{what}: {s.Message}";
        }
        if (exception is AmazonServiceException or AmazonClientException or HttpRequestException && exception.InnerException is { } inner)
        {
            var cause = Describe(inner);
            return exception.Message.Contains(cause, StringComparison.Ordinal) ? exception.Message : $"{exception.Message} ({cause})";
        }
        return exception.Message;
    }
}
