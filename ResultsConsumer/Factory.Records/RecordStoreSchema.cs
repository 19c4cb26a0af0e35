using Factory.Contracts.Failures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Factory.Records;

/// <summary>Creates the schema once PostgreSQL answers; until then it keeps trying what FailureClassifier calls retryable (the consumers' retries cover the wait).</summary>
internal sealed class RecordStoreSchema(IServiceProvider services, ILogger<RecordStoreSchema> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = services.GetRequiredService<PostgresCompatibilityRecordStore>();
        await ServiceWait.UntilDoneAsync(store.EnsureSchemaAsync,
            (attempt, ex) => logger.LogWarning("waiting for PostgreSQL (attempt {Attempt}): {Message}", attempt, ex.Message), stoppingToken);
    }
}
