using Factory.Contracts.Messages;
using Factory.Contracts.Records;

namespace Factory.UnitTests.Support;

/// <summary>Compatibility records for tests, with every required field filled.</summary>
public static class SampleRecords
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    /// <summary>The key id samples are signed by: a sample is a record the results consumer checked, unless it says otherwise.</summary>
    public const string TrustedKeyId = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    public static CompatibilityRecord Make(
        string key = "key1", string status = RecordStatus.Passed, string? reason = null, string suiteHash = "suite1",
        string? image = "127.0.0.1:5000/factory/app@sha256:aa", DateTimeOffset? at = null, string manifest = "app", string plan = "p",
        Guid? buildId = null, IReadOnlyList<ModuleSelection>? modules = null, string? signedBy = TrustedKeyId) => new()
    {
        BuildId = buildId ?? Guid.NewGuid(),
        IdempotencyKey = key,
        PlanId = plan,
        ManifestId = manifest,
        TemplateId = "base",
        TemplateVersion = "1.0.0",
        Modules = modules ?? [new ModuleSelection { Slot = "alpha", Name = "alpha", Version = "1.0.0", ContentDigest = "sha256:" + new string('a', 64) }],
        BaseDigest = "sha256:" + new string('b', 64),
        Platform = "linux/amd64",
        Status = status,
        Reason = reason,
        Image = image,
        TestSuiteId = "basic",
        TestSuiteHash = suiteHash,
        Executor = new ExecutorIdentity("amd64", "host1"),
        Timings = new StageTimings { StartedAt = at ?? T0, FinishedAt = (at ?? T0).AddMinutes(1) },
        RecordedAt = at ?? T0,
        SignedBy = signedBy,
    };
}
