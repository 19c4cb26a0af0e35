using System.Text;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Executor.Engine;
using Factory.Executor.Stages;

namespace Factory.Executor;

/// <summary>
/// The fixed life of a work item: render → build (skipped when the image exists) → push, while the tests run against
/// the local image in one container (the SBOM's files read from it first) → promote in the registry (only if passed)
/// → SBOM → provenance → evidence, all stored at once → sign the record. Every stage is timed into the result. Every
/// step's evidence is stored before the result that points to it is returned. Returns the result to publish; throws
/// only when our infrastructure failed.
/// </summary>
public sealed class WorkItemPipeline(
    IContainerEngine engine, RenderStage render, BuildStage build, PushStage push, TestStage test, PromoteStage promote, SbomStage sbom,
    ProvenanceStage provenance, EvidenceStage evidence, RecordSignatureStage signature, ExecutorOptions options, TimeProvider clock) : IWorkItemPipeline
{
    public async Task<WorkItemCompleted> RunAsync(ExecuteWorkItem command, Delivery delivery, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("work_item");
        activity?.SetTag("factory.idempotency_key", command.Item.IdempotencyKey);
        activity?.SetTag("factory.build_id", command.BuildId);
        activity?.SetTag("factory.attempt", delivery.Attempt);
        var result = await RunStagesAsync(command, delivery, ct);
        activity?.SetTag("factory.status", result.Status);
        return await signature.RunAsync(result, ct);
    }

    private async Task<WorkItemCompleted> RunStagesAsync(ExecuteWorkItem command, Delivery delivery, CancellationToken ct)
    {
        var item = command.Item;
        var stages = new StageClock(clock);
        if (item.Deadline is { } deadline && deadline < stages.StartedAt)
            return CompatibilityRecordFactory.Expired(item, command.BuildId, new ExecutorIdentity(item.Pool, options.Host), stages.StartedAt);

        await engine.EnsureAvailableAsync(ct);
        var pending = new List<EvidenceItem>();
        var cleanup = new List<Task>();
        try
        {
            var built = command.ReuseImage is null;
            string local, name;
            Task<string> pushed;
            if (command.ReuseImage is { } reuse)
            {
                await stages.TimeAsync(StageName.Test, () => engine.EnsureImageAsync(reuse, item.Platform, ct));
                (local, name, pushed) = (reuse, reuse, Task.FromResult(reuse));
            }
            else
            {
                var rendered = stages.Time(StageName.Render, () => render.Render(item, delivery));
                var outcome = await stages.TimeAsync(StageName.Build, () => build.RunAsync(item, rendered, ct));
                pending.Add(new EvidenceItem(EvidenceKind.BuildLog, "build.log", Encoding.UTF8.GetBytes(outcome.Log)));
                pending.Add(new EvidenceItem(EvidenceKind.Dockerfile, "Dockerfile", Encoding.UTF8.GetBytes(rendered.Dockerfile)));
                if (!outcome.Succeeded)
                    return Result(command, RecordStatus.Failed, outcome.Reason, null, false, [], await StoreAsync(stages, pending, ct), Tail(outcome.Log), stages);
                (local, name) = (outcome.ImageId!, $"{outcome.Tag} ({outcome.ImageId})");
                // The tests run the local image: the push need not be done before them.
                pushed = stages.TimeAsync(StageName.Push, () => push.RunAsync(item, outcome.Tag, ct));
            }

            IReadOnlyList<TestRun> runs;
            SbomFiles files;
            try
            {
                var session = await stages.TimeAsync(StageName.Test, () => test.OpenAsync(item, local, name, delivery, ct));
                try
                {
                    // Before any test runs: a test may change the files.
                    files = await stages.TimeAsync(StageName.Sbom, () => sbom.ReadAsync(item, local, session.Container, ct));
                    runs = await stages.TimeAsync(StageName.Test, () => test.RunAsync(item, session, ct));
                }
                finally
                {
                    // Nothing waits for the container to go: it goes while the push finishes and the evidence is written.
                    cleanup.Add(session.DisposeAsync().AsTask());
                }
            }
            catch
            {
                await Task.WhenAny(pushed); // not left running behind a failure; its own failure, if any, is secondary
                throw;
            }

            var image = await pushed;
            var failed = runs.Where(r => r.Result.Status != RecordStatus.Passed).ToList();
            if (failed.Count == 0) image = await stages.TimeAsync(StageName.Push, () => promote.RunAsync(item, image, ct));

            var bom = stages.Time(StageName.Sbom, () => sbom.Generate(item, image, files));
            pending.AddRange(runs.Select(run => new EvidenceItem(EvidenceKind.TestLog, $"tests/{run.Result.Name}.log", run.Log)));
            pending.AddRange(runs.Where(run => run.FullLog is not null)
                .Select(run => EvidenceItem.FromFile(EvidenceKind.TestOutput, $"tests/{run.Result.Name}.log.gz", run.FullLog!)));
            pending.Add(new EvidenceItem(EvidenceKind.Sbom, SbomStage.EvidenceName, bom.Content));
            var statement = stages.Time(StageName.Provenance, () => provenance.Sign(item, command.BuildId, image, built, stages.StartedAt, clock.GetUtcNow()));
            pending.Add(new EvidenceItem(EvidenceKind.Provenance, ProvenanceStage.EvidenceName, statement));
            var refs = await StoreAsync(stages, pending, ct);

            var tail = failed.Count == 0 ? null : string.Join("\n", failed.Select(f => $"[{f.Result.Name}] {f.Result.Reason}\n{f.Result.OutputTail}"));
            return Result(command, failed.Count == 0 ? RecordStatus.Passed : RecordStatus.Failed, failed.Count == 0 ? null : FailureReason.TestFailed,
                image, built, runs.Select(r => r.Result).ToList(), refs, tail, stages);
        }
        finally
        {
            await Task.WhenAll(cleanup);
            render.Clean(delivery);
        }
    }

    private Task<IReadOnlyList<EvidenceRef>> StoreAsync(StageClock stages, IReadOnlyList<EvidenceItem> pending, CancellationToken ct) =>
        stages.TimeAsync(StageName.Evidence, () => evidence.PutAsync(pending, ct));

    private WorkItemCompleted Result(ExecuteWorkItem command, string status, string? reason, string? image, bool built,
        IReadOnlyList<TestResult> tests, IReadOnlyList<EvidenceRef> refs, string? logTail, StageClock stages) => new()
    {
        BuildId = command.BuildId,
        Item = command.Item,
        Status = status,
        Reason = reason,
        Image = image,
        Built = built,
        Tests = tests,
        Evidence = refs,
        LogTail = logTail,
        Executor = new ExecutorIdentity(command.Item.Pool, options.Host),
        Timings = stages.Timings(clock.GetUtcNow()),
    };

    private string Tail(string log) => DockerEngine.Tail(log, options.LogTailLines);
}
