using System.Text;
using System.Text.Json;
using Factory.Contracts;
using Factory.Contracts.Failures;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using MassTransit;

namespace Factory.Executor;

/// <summary>
/// When a work item is given up on: keeps error-&lt;build id&gt;.json (classification, attempts, error) as evidence
/// and announces WorkItemDeadLettered, so the plan does not wait forever and an operator knows what to replay.
/// </summary>
public sealed class DeadLetterNotice(IEvidenceStore evidence, ExecutorOptions options, TimeProvider clock)
{
    public async Task PublishAsync(ConsumeContext<ExecuteWorkItem> context, Exception exception)
    {
        var command = context.Message;
        var attempts = context.GetRetryAttempt() + 1;
        var classification = FailureClassifier.Classify(exception);
        var error = new
        {
            build_id = command.BuildId,
            idempotency_key = command.Item?.IdempotencyKey,
            plan_id = command.Item?.PlanId,
            pool = command.Item?.Pool,
            executor = options.ExecutorId,
            host = options.Host,
            classification,
            service = (exception as InfrastructureException)?.Service,
            attempts,
            error = exception.Message,
            exception_type = exception.GetType().FullName,
            log_tail = exception.ToString(),
            at = clock.GetUtcNow(),
        };
        EvidenceRef? file = null;
        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(error, FactoryJson.Options);
            file = await evidence.PutAsync(EvidenceKind.Error, $"error-{command.BuildId}.json", json, CancellationToken.None);
        }
        catch (Exception storeFailure) when (FailureClassifier.IsRetryable(storeFailure))
        {
            // The evidence store may be what is down; the notice still goes out, without the file.
        }
        if (command.Item is null) return;
        await context.Publish(new WorkItemDeadLettered
        {
            BuildId = command.BuildId, IdempotencyKey = command.Item.IdempotencyKey, PlanId = command.Item.PlanId, Pool = command.Item.Pool,
            Classification = classification, Attempts = attempts, Error = exception.Message, ErrorFile = file,
        });
    }
}
