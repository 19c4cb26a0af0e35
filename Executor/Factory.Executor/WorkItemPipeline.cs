using Factory.Contracts.Messages;
using Factory.Contracts.Records;
using Factory.Executor.Engine;
using Factory.Executor.Evidence;
using Factory.Executor.Stages;

namespace Factory.Executor;

/// <summary>
/// The fixed life of a work item: render → build (skipped when the image exists) → test → evidence.
/// Returns the result to publish; throws only when our infrastructure failed.
/// </summary>
public sealed class WorkItemPipeline(
    IContainerEngine engine, RenderStage render, BuildStage build, TestStage test, IEvidenceStore evidence,
    ExecutorOptions options, TimeProvider clock)
{
    public async Task<WorkItemCompleted> RunAsync(ExecuteWorkItem command, string pool, CancellationToken ct)
    {
        var item = command.Item;
        using var activity = ExecutorTelemetry.Source.StartActivity("work_item");
        activity?.SetTag("factory.idempotency_key", item.IdempotencyKey);
        activity?.SetTag("factory.build_id", command.BuildId);
        var started = clock.GetUtcNow();
        if (item.Deadline is { } deadline && deadline < started)
            return Result(command, pool, RecordStatus.Expired, FailureReason.DeadlinePassed, null, false, [], [],
                $"deadline {deadline:O} passed before an executor picked the item up at {started:O}; nothing was built", started, 0, 0, 0);
        var refs = new List<EvidenceRef>();
        long renderMs = 0, buildMs = 0;
        await engine.EnsureAvailableAsync(ct);
        try
        {
            var image = command.ReuseImage;
            if (image is null)
            {
                var renderStart = clock.GetTimestamp();
                RenderedBuild rendered;
                using (ExecutorTelemetry.Source.StartActivity("render"))
                    rendered = render.Render(item, command.BuildId);
                renderMs = (long)clock.GetElapsedTime(renderStart).TotalMilliseconds;

                var built = await build.RunAsync(item, rendered, ct);
                buildMs = (long)built.Duration.TotalMilliseconds;
                using (ExecutorTelemetry.Source.StartActivity("evidence"))
                {
                    refs.Add(await evidence.PutAsync(EvidenceKind.BuildLog, "build.log", System.Text.Encoding.UTF8.GetBytes(built.Log), ct));
                    refs.Add(await evidence.PutAsync(EvidenceKind.Dockerfile, "Dockerfile", System.Text.Encoding.UTF8.GetBytes(rendered.Dockerfile), ct));
                }
                if (!built.Succeeded)
                    return Result(command, pool, RecordStatus.Failed, built.Reason, null, false, [], refs, Tail(built.Log), started, renderMs, buildMs, 0);
                image = built.Image!;
            }
            else
            {
                await engine.EnsureImageAsync(image, item.Platform, ct);
            }

            var testStart = clock.GetTimestamp();
            var runs = await test.RunAsync(item, image, command.BuildId, ct);
            var testMs = (long)clock.GetElapsedTime(testStart).TotalMilliseconds;
            using (ExecutorTelemetry.Source.StartActivity("evidence"))
                foreach (var run in runs)
                    refs.Add(await evidence.PutAsync(EvidenceKind.TestLog, $"tests/{run.Result.Name}.log", run.Log, ct));
            var failed = runs.Where(r => r.Result.Status != RecordStatus.Passed).ToList();
            var tail = failed.Count == 0 ? null : string.Join("\n", failed.Select(f => $"[{f.Result.Name}] {f.Result.Reason}\n{f.Result.OutputTail}"));
            return Result(command, pool, failed.Count == 0 ? RecordStatus.Passed : RecordStatus.Failed, failed.Count == 0 ? null : FailureReason.TestFailed,
                image, command.ReuseImage is null, runs.Select(r => r.Result).ToList(), refs, tail, started, renderMs, buildMs, testMs);
        }
        finally
        {
            render.Clean(command.BuildId);
        }
    }

    private WorkItemCompleted Result(ExecuteWorkItem command, string pool, string status, string? reason, string? image, bool built,
        IReadOnlyList<TestResult> tests, IReadOnlyList<EvidenceRef> refs, string? logTail, DateTimeOffset started, long renderMs, long buildMs, long testMs) => new()
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
        Timings = new StageTimings { StartedAt = started, FinishedAt = clock.GetUtcNow(), RenderMs = renderMs, BuildMs = buildMs, TestMs = testMs },
    };

    private string Tail(string log) => DockerCliEngine.Tail(log, options.LogTailLines);
}
