using Factory.Contracts.Failures;
using Polly;
using Polly.CircuitBreaker;

namespace Factory.Evidence;

/// <summary>
/// Every call to an object store goes through here: a circuit breaker fails calls at once while the store is down,
/// and every failure is translated, never retried here. What cannot be done becomes an <see cref="InfrastructureException"/>
/// naming the store (not <see cref="InfrastructureException.Transient"/> when trying again changes nothing, as with
/// refused credentials); <see cref="FailureClassifier"/> decides whether the work item is retried, and the bus retries
/// it, so the item is never recorded without its evidence. The cause goes into the message, not in an inner exception:
/// the dead-letter queue shows the innermost exception's message, which should name the store.
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
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ObjectStorageErrors.IsTransient),
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _circuit,
            })
            .Build();
    }

    /// <summary>Runs one storage operation (<paramref name="what"/>, e.g. "PUT s3://b/sha256/..") through the circuit breaker, once.</summary>
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token), ct);
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
            throw new InfrastructureException(Service, $"{what} failed: {ObjectStorageErrors.Describe(ex)}");
        }
        catch (Exception ex) when (ObjectStorageErrors.Classify(ex) == ObjectStorageFailure.Denied)
        {
            throw new InfrastructureException(Service,
                $"{what}: access denied ({ObjectStorageErrors.Describe(ex)}): check the credentials (Evidence:S3:AccessKey, Evidence:S3:SecretKey) and the bucket's permissions")
            {
                Transient = false,
            };
        }
        catch (Exception ex) when (ex is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new InfrastructureException(Service, $"{what}: refused: {ObjectStorageErrors.Describe(ex)}") { Transient = false };
        }
    }

    public async Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken ct) =>
        await RunAsync(what, async token =>
        {
            await call(token);
            return true;
        }, ct);
}
