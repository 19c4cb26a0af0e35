using Factory.Contracts.Records;

namespace Factory.Executor;

/// <summary>
/// Times one work item's stages: each run of a stage is a span with its real start, so stages that overlap (the push
/// runs while the tests do) show as they happened; each stage's *_ms is the sum of its spans. Safe to use from
/// concurrent stages.
/// </summary>
public sealed class StageClock(TimeProvider clock)
{
    private readonly List<StageSpan> _spans = [];

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> work)
    {
        var (at, start) = (clock.GetUtcNow(), clock.GetTimestamp());
        try { return await work(); }
        finally { Add(stage, at, clock.GetElapsedTime(start)); }
    }

    public async Task TimeAsync(string stage, Func<Task> work) =>
        await TimeAsync(stage, async () => { await work(); return true; });

    public T Time<T>(string stage, Func<T> work)
    {
        var (at, start) = (clock.GetUtcNow(), clock.GetTimestamp());
        try { return work(); }
        finally { Add(stage, at, clock.GetElapsedTime(start)); }
    }

    public void Add(string stage, DateTimeOffset startedAt, TimeSpan duration)
    {
        if (!StageName.All.Contains(stage)) throw new ArgumentException($"unknown stage {stage}: expected one of {string.Join(", ", StageName.All)}", nameof(stage));
        lock (_spans) _spans.Add(new StageSpan(stage, startedAt, (long)duration.TotalMilliseconds));
    }

    public StageTimings Timings(DateTimeOffset finishedAt)
    {
        lock (_spans) return Summarize(_spans, StartedAt, finishedAt);
    }

    /// <summary>The spans in order of their start, and each stage's sum.</summary>
    public static StageTimings Summarize(IEnumerable<StageSpan> spans, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        var ordered = spans.OrderBy(s => s.StartedAt).ToList();
        long Sum(string stage) => ordered.Where(s => s.Stage == stage).Sum(s => s.Ms);
        return new StageTimings
        {
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            RenderMs = Sum(StageName.Render),
            BuildMs = Sum(StageName.Build),
            PushMs = Sum(StageName.Push),
            TestMs = Sum(StageName.Test),
            SbomMs = Sum(StageName.Sbom),
            ProvenanceMs = Sum(StageName.Provenance),
            EvidenceMs = Sum(StageName.Evidence),
            RecordMs = Sum(StageName.Record),
            Stages = ordered,
        };
    }
}
