using Factory.Contracts.Records;
using Factory.ResultsConsumer;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>The record stage's time: added by the results consumer after the executor signed, and so left out of what is signed.</summary>
public sealed class RecordTimingsTests
{
    private static CompatibilityRecord Signed() => SampleRecords.Make() with
    {
        Timings = new StageTimings
        {
            StartedAt = SampleRecords.T0, FinishedAt = SampleRecords.T0.AddSeconds(20), BuildMs = 15000, TestMs = 3000,
            Stages = [new StageSpan(StageName.Build, SampleRecords.T0, 15000), new StageSpan(StageName.Test, SampleRecords.T0.AddSeconds(15), 3000)],
        },
    };

    [Fact]
    public void The_record_stage_runs_from_the_executors_finish_to_now_and_is_appended_as_a_span()
    {
        var timings = Signed().Timings;

        var stored = RecordWorkItemResultConsumer.WithRecordStage(timings, timings.FinishedAt.AddMilliseconds(240));

        Assert.Equal(240, stored.RecordMs);
        Assert.Equal(new StageSpan(StageName.Record, timings.FinishedAt, 240), stored.Stages[^1]);
        Assert.Equal(timings.Stages, stored.Stages.Take(2));
        Assert.Equal((timings.BuildMs, timings.TestMs), (stored.BuildMs, stored.TestMs));
    }

    [Fact]
    public void A_results_consumer_whose_clock_is_behind_the_executors_records_zero_not_a_negative_time()
    {
        var timings = Signed().Timings;
        var now = timings.FinishedAt.AddSeconds(-3);

        var stored = RecordWorkItemResultConsumer.WithRecordStage(timings, now);

        Assert.Equal(0, stored.RecordMs);
        Assert.Equal(new StageSpan(StageName.Record, now, 0), stored.Stages[^1]);
    }

    [Fact]
    public void What_the_record_stage_adds_is_not_in_the_signed_payload_so_the_signature_still_covers_the_stored_record()
    {
        var signed = Signed();
        var stored = signed with { Timings = RecordWorkItemResultConsumer.WithRecordStage(signed.Timings, signed.Timings.FinishedAt.AddMilliseconds(90)), RecordedAt = SampleRecords.T0.AddMinutes(5) };

        Assert.Equal(CompatibilityRecordFactory.SignedPayload(signed), CompatibilityRecordFactory.SignedPayload(stored));
    }

    [Fact]
    public void Any_other_stage_time_is_covered_by_the_signature()
    {
        var signed = Signed();
        var slower = signed with { Timings = signed.Timings with { TestMs = 3001 } };
        var moved = signed with { Timings = signed.Timings with { Stages = [signed.Timings.Stages[0], signed.Timings.Stages[1] with { Ms = 2999 }] } };

        Assert.NotEqual(CompatibilityRecordFactory.SignedPayload(signed), CompatibilityRecordFactory.SignedPayload(slower));
        Assert.NotEqual(CompatibilityRecordFactory.SignedPayload(signed), CompatibilityRecordFactory.SignedPayload(moved));
    }
}
