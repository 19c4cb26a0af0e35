using Factory.Contracts.Messages;

namespace Factory.UnitTests.Support;

/// <summary>Work items for tests, with every required field filled.</summary>
public static class WorkItems
{
    public static WorkItem Make(string key = "key1", string suiteHash = "suite1", DateTimeOffset? deadline = null, int priority = 0, string pool = "amd64") => new()
    {
        IdempotencyKey = key, PlanId = "p", ManifestId = "app", TemplateId = "base", TemplateVersion = "1.0.0",
        BaseImage = "127.0.0.1:5000/base/busybox@sha256:" + new string('b', 64), BaseDigest = "sha256:" + new string('b', 64),
        Platform = "linux/amd64", Pool = pool, Modules = [], TestSuiteId = "basic", TestSuiteHash = suiteHash, Tests = [],
        Priority = priority, Deadline = deadline,
    };
}
