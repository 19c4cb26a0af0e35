using Factory.Contracts.Records;
using Factory.Evidence;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>EvidenceRetention.Plan: which objects may go, given the records that refer to them and the time.</summary>
public sealed class EvidenceRetentionTests
{
    private static readonly DateTimeOffset Now = SampleRecords.T0.AddDays(100);
    private static readonly RetentionOptions Options = new() { FailedDays = 14, PassingWhileCurrent = true, UnreferencedDays = 7, MinAgeHours = 1 };

    private static EvidenceRef Ref(char c) => new(EvidenceKind.TestLog, $"local:sha256/{new string(c, 64)}", new string(c, 64), 10);
    private static EvidenceObject Obj(char c, TimeSpan age) => new($"local:sha256/{new string(c, 64)}", new string(c, 64), 10, Now - age);
    private static CompatibilityRecord Record(string key, string status, TimeSpan age, params char[] evidence) =>
        SampleRecords.Make(key, status, at: Now - age) with { Evidence = evidence.Select(Ref).ToList() };

    private static List<(char, string)> Removed(RetentionPlan plan) =>
        plan.Remove.Select(r => (r.Object.Sha256[0], r.Reason)).OrderBy(r => r.Item1).ToList();

    private static readonly TimeSpan Old = TimeSpan.FromDays(30);

    [Fact]
    public void A_failed_record_keeps_its_evidence_for_FailedDays_then_it_may_go()
    {
        var records = new[] { Record("k1", RecordStatus.Failed, TimeSpan.FromDays(15), 'a'), Record("k2", RecordStatus.Failed, TimeSpan.FromDays(13), 'b') };
        var plan = EvidenceRetention.Plan(records, [Obj('a', Old), Obj('b', Old)], Options, Now);
        Assert.Equal([('a', RemovalReason.Expired)], Removed(plan));
        Assert.Equal(1, plan.Kept);
    }

    [Fact]
    public void A_passing_record_keeps_its_evidence_only_while_it_is_the_newest_of_its_key()
    {
        var records = new[]
        {
            Record("k1", RecordStatus.Passed, TimeSpan.FromDays(300), 'a'),
            Record("k1", RecordStatus.Passed, TimeSpan.FromDays(200), 'b'),
            Record("k2", RecordStatus.Passed, TimeSpan.FromDays(300), 'c'),
        };
        var plan = EvidenceRetention.Plan(records, [Obj('a', Old), Obj('b', Old), Obj('c', Old)], Options, Now);
        Assert.Equal([('a', RemovalReason.Expired)], Removed(plan));

        var keepAll = EvidenceRetention.Plan(records, [Obj('a', Old), Obj('b', Old), Obj('c', Old)], new RetentionOptions { PassingWhileCurrent = false }, Now);
        Assert.Empty(keepAll.Remove);
    }

    [Fact]
    public void A_shared_object_stays_while_any_retained_record_refers_to_it()
    {
        var records = new[]
        {
            Record("k1", RecordStatus.Failed, TimeSpan.FromDays(40), 's', 'x'),
            Record("k2", RecordStatus.Passed, TimeSpan.FromDays(40), 's'),
            Record("k3", RecordStatus.Passed, TimeSpan.FromDays(50), 't'),
            Record("k3", RecordStatus.Failed, TimeSpan.FromDays(1), 't'),
        };
        var plan = EvidenceRetention.Plan(records, [Obj('s', Old), Obj('x', Old), Obj('t', Old)], Options, Now);
        Assert.Equal([('x', RemovalReason.Expired)], Removed(plan));
    }

    [Fact]
    public void An_object_no_record_refers_to_goes_once_it_is_UnreferencedDays_old()
    {
        var plan = EvidenceRetention.Plan([], [Obj('a', TimeSpan.FromDays(8)), Obj('b', TimeSpan.FromDays(6))], Options, Now);
        Assert.Equal([('a', RemovalReason.Unreferenced)], Removed(plan));
    }

    [Fact]
    public void No_object_written_within_MinAgeHours_is_removed_whatever_the_records_say()
    {
        var records = new[] { Record("k1", RecordStatus.Failed, TimeSpan.FromDays(40), 'a') };
        var zeroDays = new RetentionOptions { UnreferencedDays = 0, MinAgeHours = 1 };
        var plan = EvidenceRetention.Plan(records, [Obj('a', TimeSpan.FromMinutes(30)), Obj('b', TimeSpan.FromMinutes(30)), Obj('c', TimeSpan.FromHours(2))], zeroDays, Now);
        Assert.Equal([('c', RemovalReason.Unreferenced)], Removed(plan));
        Assert.Equal(2, plan.Kept);
    }

    [Fact]
    public void Expired_records_have_no_evidence_and_objects_of_other_stores_are_left_alone()
    {
        var records = new[] { SampleRecords.Make("k1", RecordStatus.Expired, at: Now - Old) with { Evidence = [Ref('a') with { Uri = "s3://b/sha256/" + new string('a', 64) }] } };
        var plan = EvidenceRetention.Plan(records, [Obj('a', TimeSpan.FromDays(3))], Options, Now);
        Assert.Empty(plan.Remove);
    }
}
