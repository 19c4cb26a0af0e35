using System.Text;
using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.Executor.Engine;
using Factory.Executor.Stages;

namespace Factory.Executor;

/// <summary>
/// The fixed life of a work item: render → build (skipped when the image exists) → test → promote (only if
/// passed) → SBOM → provenance → sign the record. Every step's evidence is stored before the result that points to
/// it is returned. Returns the result to publish; throws only when our infrastructure failed.
/// </summary>
public sealed class WorkItemPipeline(
    IContainerEngine engine, RenderStage render, BuildStage build, TestStage test, PromoteStage promote, SbomStage sbom,
    ProvenanceStage provenance, RecordSignatureStage signature, IEvidenceStore evidence, ExecutorOptions options, TimeProvider clock)
{
    public async Task<WorkItemCompleted> RunAsync(ExecuteWorkItem command, string pool, CancellationToken ct)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("work_item");
        activity?.SetTag("factory.idempotency_key", command.Item.IdempotencyKey);
        activity?.SetTag("factory.build_id", command.BuildId);
        var result = await RunStagesAsync(command, pool, ct);
        activity?.SetTag("factory.status", result.Status);
        return await signature.RunAsync(result, ct);
    }

    private async Task<WorkItemCompleted> RunStagesAsync(ExecuteWorkItem command, string pool, CancellationToken ct)
    {
        var item = command.Item;
        var timing = new Timing(clock);
        if (item.Deadline is { } deadline && deadline < timing.Started)
            return Result(command, pool, RecordStatus.Expired, FailureReason.DeadlinePassed, null, false, [], [],
                $"deadline {deadline:O} passed before an executor picked the item up at {timing.Started:O}; nothing was built", timing);

        await engine.EnsureAvailableAsync(ct);
        var refs = new List<EvidenceRef>();
        try
        {
            var image = command.ReuseImage;
            var built = image is null;
            if (image is null)
            {
                RenderedBuild rendered;
                using (ExecutorTelemetry.Source.StartActivity("render"))
                    rendered = render.Render(item, command.BuildId);
                timing.RenderMs = timing.Lap();

                var outcome = await build.RunAsync(item, rendered, ct);
                timing.BuildMs = (long)outcome.Duration.TotalMilliseconds;
                refs.Add(await evidence.PutAsync(EvidenceKind.BuildLog, "build.log", Encoding.UTF8.GetBytes(outcome.Log), ct));
                refs.Add(await evidence.PutAsync(EvidenceKind.Dockerfile, "Dockerfile", Encoding.UTF8.GetBytes(rendered.Dockerfile), ct));
                if (!outcome.Succeeded)
                    return Result(command, pool, RecordStatus.Failed, outcome.Reason, null, false, [], refs, Tail(outcome.Log), timing);
                image = outcome.Image!;
                timing.Lap();
            }
            else
            {
                await engine.EnsureImageAsync(image, item.Platform, ct);
            }

            var runs = await test.RunAsync(item, image, command.BuildId, ct);
            timing.TestMs = timing.Lap();
            foreach (var run in runs)
                refs.Add(await evidence.PutAsync(EvidenceKind.TestLog, $"tests/{run.Result.Name}.log", run.Log, ct));
            var failed = runs.Where(r => r.Result.Status != RecordStatus.Passed).ToList();
            if (failed.Count == 0) image = await promote.RunAsync(item, image, ct);

            var bom = await sbom.RunAsync(item, image, ct);
            timing.SbomMs = (long)bom.Duration.TotalMilliseconds;
            refs.Add(await evidence.PutAsync(EvidenceKind.Sbom, SbomStage.EvidenceName, bom.Content, ct));

            refs.Add(await provenance.RunAsync(item, command.BuildId, image, built, timing.Started, clock.GetUtcNow(), ct));
            var tail = failed.Count == 0 ? null : string.Join("\n", failed.Select(f => $"[{f.Result.Name}] {f.Result.Reason}\n{f.Result.OutputTail}"));
            return Result(command, pool, failed.Count == 0 ? RecordStatus.Passed : RecordStatus.Failed, failed.Count == 0 ? null : FailureReason.TestFailed,
                image, built, runs.Select(r => r.Result).ToList(), refs, tail, timing);
        }
        finally
        {
            render.Clean(command.BuildId);
        }
    }

    private WorkItemCompleted Result(ExecuteWorkItem command, string pool, string status, string? reason, string? image, bool built,
        IReadOnlyList<TestResult> tests, IReadOnlyList<EvidenceRef> refs, string? logTail, Timing timing) => new()
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
        Executor = new ExecutorIdentity(pool, options.Host),
        Timings = new StageTimings
        {
            StartedAt = timing.Started, FinishedAt = clock.GetUtcNow(), RenderMs = timing.RenderMs, BuildMs = timing.BuildMs, TestMs = timing.TestMs,
            SbomMs = timing.SbomMs,
        },
    };

    private string Tail(string log) => DockerCliEngine.Tail(log, options.LogTailLines);

    private sealed class Timing(TimeProvider clock)
    {
        private long _mark = clock.GetTimestamp();
        public DateTimeOffset Started { get; } = clock.GetUtcNow();
        public long RenderMs { get; set; }
        public long BuildMs { get; set; }
        public long TestMs { get; set; }
        public long SbomMs { get; set; }

        /// <summary>Milliseconds since the last lap.</summary>
        public long Lap()
        {
            var now = clock.GetTimestamp();
            var ms = (long)clock.GetElapsedTime(_mark, now).TotalMilliseconds;
            _mark = now;
            return ms;
        }
    }
}
