using Factory.Contracts.Records;
using Factory.Executor;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>StageClock: spans with their real starts, in order, and each stage's sum.</summary>
public sealed class StageClockTests
{
    private static readonly DateTimeOffset T0 = SampleRecords.T0;

    [Fact]
    public void Each_stage_sums_its_spans_and_the_spans_are_listed_by_start_even_when_they_overlap()
    {
        var spans = new[]
        {
            new StageSpan(StageName.Test, T0.AddSeconds(12), 2000),
            new StageSpan(StageName.Push, T0.AddSeconds(10), 5000), // while the tests run
            new StageSpan(StageName.Render, T0, 40),
            new StageSpan(StageName.Build, T0.AddMilliseconds(40), 9960),
            new StageSpan(StageName.Sbom, T0.AddSeconds(11), 300),
            new StageSpan(StageName.Test, T0.AddSeconds(10), 1000),
            new StageSpan(StageName.Push, T0.AddSeconds(15), 100),
            new StageSpan(StageName.Sbom, T0.AddSeconds(15.1), 50),
            new StageSpan(StageName.Provenance, T0.AddSeconds(15.15), 5),
            new StageSpan(StageName.Evidence, T0.AddSeconds(15.2), 20),
        };

        var timings = StageClock.Summarize(spans, T0, T0.AddSeconds(16));

        Assert.Equal((40L, 9960L, 5100L, 3000L, 350L, 5L, 20L, 0L),
            (timings.RenderMs, timings.BuildMs, timings.PushMs, timings.TestMs, timings.SbomMs, timings.ProvenanceMs, timings.EvidenceMs, timings.RecordMs));
        Assert.Equal(spans.OrderBy(s => s.StartedAt), timings.Stages);
        Assert.Equal(["render", "build", "push", "test", "sbom", "test", "push", "sbom", "provenance", "evidence"], timings.Stages.Select(s => s.Stage));
        Assert.Equal((T0, T0.AddSeconds(16)), (timings.StartedAt, timings.FinishedAt));
    }

    [Fact]
    public async Task Timed_work_is_a_span_that_starts_when_the_work_started_and_counts_when_it_failed()
    {
        var clock = new StageClock(TimeProvider.System);
        var before = DateTimeOffset.UtcNow;

        var value = await clock.TimeAsync(StageName.Build, async () => { await Task.Delay(30); return 7; });
        await Assert.ThrowsAsync<InvalidOperationException>(() => clock.TimeAsync(StageName.Push, () => throw new InvalidOperationException("registry down")));
        Assert.Equal("ok", clock.Time(StageName.Render, () => "ok"));

        var timings = clock.Timings(DateTimeOffset.UtcNow);
        Assert.Equal(7, value);
        Assert.Equal(["build", "push", "render"], timings.Stages.Select(s => s.Stage));
        Assert.True(timings.BuildMs >= 25, $"build took {timings.BuildMs} ms");
        Assert.All(timings.Stages, s => Assert.True(s.StartedAt >= before.AddMilliseconds(-1), $"{s.Stage} started at {s.StartedAt:O}, before {before:O}"));
    }

    [Fact]
    public void A_stage_that_is_not_one_of_the_record_s_is_refused()
    {
        var clock = new StageClock(TimeProvider.System);
        var error = Assert.Throws<ArgumentException>(() => clock.Add("sign", DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(3)));
        Assert.Contains("unknown stage sign: expected one of render, build, push, test, sbom, provenance, evidence, record", error.Message);
    }
}
