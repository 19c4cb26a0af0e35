using Factory.ControlPlane.Review;
using Factory.Contracts.Records;
using static Factory.UnitTests.Support.ReviewRecords;

namespace Factory.UnitTests.Review;

/// <summary>Flaky = the same key and suite both passed and failed within the window; rate = failures among the runs of such inputs.</summary>
public sealed class FlakinessTests
{
    private static readonly DateTimeOffset Now = Support.SampleRecords.T0.AddDays(1);

    [Fact]
    public void The_same_inputs_passing_and_failing_is_flaky_with_the_share_of_failures_as_its_rate()
    {
        var records = new[]
        {
            Facts("k1", RecordStatus.Passed, 0), Facts("k1", RecordStatus.Failed, 1), Facts("k1", RecordStatus.Passed, 2), Facts("k1", RecordStatus.Passed, 3),
        };
        var flakiness = Flakiness.Of(records, Now, TimeSpan.FromDays(14));
        Assert.True(flakiness.Flaky);
        Assert.Equal((0.25, 4, 1, "14d"), (flakiness.Rate, flakiness.Runs, flakiness.Failures, flakiness.Window));
    }

    [Fact]
    public void A_stable_failure_is_not_flaky()
    {
        var records = new[] { Facts("k1", RecordStatus.Failed, 0), Facts("k1", RecordStatus.Failed, 1), Facts("k1", RecordStatus.Failed, 2) };
        var flakiness = Flakiness.Of(records, Now, TimeSpan.FromDays(14));
        Assert.False(flakiness.Flaky);
        Assert.Equal(0, flakiness.Rate);
    }

    [Fact]
    public void A_pass_and_a_failure_of_different_inputs_is_a_change_not_a_flake()
    {
        var records = new[] { Facts("k1", RecordStatus.Passed, 0), Facts("k2", RecordStatus.Failed, 1, numerics: "1.1.0"), Facts("k1", RecordStatus.Failed, 2, suite: "suite2") };
        Assert.False(Flakiness.Of(records, Now, TimeSpan.FromDays(14)).Flaky);
    }

    [Fact]
    public void Results_outside_the_window_and_expired_records_do_not_count()
    {
        var records = new[] { Facts("k1", RecordStatus.Passed, 0), Facts("k1", RecordStatus.Failed, 60 * 24 - 30), Facts("k1", RecordStatus.Expired, 60 * 24 - 10) };
        Assert.False(Flakiness.Of(records, Now, TimeSpan.FromHours(1)).Flaky);
        Assert.True(Flakiness.Of(records, Now, TimeSpan.FromDays(2)).Flaky);
    }
}
