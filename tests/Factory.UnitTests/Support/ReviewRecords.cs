using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.UnitTests.Support;

/// <summary>Record facts of one manifest for the review domain's tests: a module combination, a platform, a key, an outcome, a time.</summary>
public static class ReviewRecords
{
    public const string BaseA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string BaseB = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    public static ModuleSelection Module(string slot, string version, char digest = '1') =>
        new() { Slot = slot, Name = slot, Version = version, ContentDigest = "sha256:" + new string(digest, 64), Owner = new Contracts.Manifests.ModuleOwner("@" + slot + "-dev", "team-" + slot) };

    public static RecordFacts Facts(string key, string status, int minutes, string numerics = "1.0.0", string platform = "linux/amd64", string suite = "suite1",
        string baseDigest = BaseA, string? reason = null, string? image = null, string manifest = "llm", string plan = "p") => new()
    {
        BuildId = Guid.NewGuid(),
        IdempotencyKey = key,
        PlanId = plan,
        ManifestId = manifest,
        Platform = platform,
        Status = status,
        Reason = reason ?? (status == RecordStatus.Failed ? FailureReason.TestFailed : status == RecordStatus.Expired ? FailureReason.DeadlinePassed : null),
        TestSuiteHash = suite,
        Image = image ?? (status == RecordStatus.Passed ? $"127.0.0.1:5000/factory/{manifest}@sha256:{new string('c', 64)}" : null),
        TemplateVersion = "1.0.0",
        BaseDigest = baseDigest,
        Modules = [Module("python", "3.11"), Module("numerics", numerics)],
        RecordedAt = SampleRecords.T0.AddMinutes(minutes),
    };
}
