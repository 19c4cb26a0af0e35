using Factory.Contracts.Failures;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Factory.Evidence;

/// <summary>
/// Every call to an object store goes through here: retries of transient failures with exponential backoff and
/// jitter, then a circuit breaker that fails calls at once while the store is down. What cannot be done becomes an
/// <see cref="InfrastructureException"/> naming the store, so the work item is retried (and, after its retry
/// limit, dead-lettered) and never recorded without its evidence. The cause goes into the message, not in an
/// inner exception: the dead-letter queue shows the innermost exception's message, which should name the store.
/// </summary>
public sealed class ObjectStorageCalls
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();

    /// <summary>"object storage http://host:port": what an operator should look at.</summary>
    public string Service { get; }
    public CircuitState Circuit => _circuit.CircuitState;

    public ObjectStorageCalls(S3EvidenceOptions options, TimeProvider? clock = null)
    {
        Service = $"object storage {options.ServiceUrl.TrimEnd('/')}";
        var transient = new PredicateBuilder().Handle<Exception>(ObjectStorageErrors.IsTransient);
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System };
        if (options.Retries > 0)
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
            });
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = _circuit,
        });
        _pipeline = builder.Build();
    }

    /// <summary>Runs one storage operation (<paramref name="what"/>, e.g. "PUT s3://b/sha256/..") with retries and the circuit breaker.</summary>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                return await call(token);
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            var retryAfter = ex.RetryAfter is { } after ? $"; calls are let through again in {after.TotalSeconds:0.#} s" : "";
            throw new InfrastructureException(Service, $"{what}: not reachable: the circuit is open after repeated failures{retryAfter}");
        }
        catch (Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.Transient)
        {
            throw new InfrastructureException(Service, $"{what} failed after {attempts} attempt(s): {ObjectStorageErrors.Describe(ex)}");
        }
        catch (Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.Denied)
        {
            throw new InfrastructureException(Service,
                $"{what}: access denied ({ObjectStorageErrors.Describe(ex)}): check the credentials (Evidence:S3:AccessKey, Evidence:S3:SecretKey) and the bucket's permissions");
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new InfrastructureException(Service, $"{what}: {ObjectStorageErrors.Describe(ex)}");
        }
    }

    public async Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken ct) =>
        await RunAsync(what, async token =>
        {
            await call(token);
            return true;
        }, ct);
}
