using Factory.Contracts.Records;

namespace Factory.ControlPlane.Review;

/// <summary>
/// The key's components (template version, base digest, each module's version and content) and the test suite hash,
/// compared between two records: what changed from <c>before</c> to <c>after</c>, modules in slot order.
/// </summary>
public static class InputChanges
{
    public const string Module = "module";
    public const string ModuleContent = "module_content";
    public const string BaseDigest = "base_digest";
    public const string TestSuite = "test_suite";
    public const string TemplateVersion = "template_version";

    public static IReadOnlyList<InputChange> Between(RecordFacts before, RecordFacts after)
    {
        var changes = new List<InputChange>();
        if (before.TemplateVersion != after.TemplateVersion) changes.Add(new InputChange(TemplateVersion, null, before.TemplateVersion, after.TemplateVersion));
        if (before.BaseDigest != after.BaseDigest) changes.Add(new InputChange(BaseDigest, null, before.BaseDigest, after.BaseDigest));
        var was = before.Modules.ToDictionary(m => m.Slot, StringComparer.Ordinal);
        var now = after.Modules.ToDictionary(m => m.Slot, StringComparer.Ordinal);
        foreach (var slot in was.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var (from, to) = (was.GetValueOrDefault(slot), now.GetValueOrDefault(slot));
            if (from?.Version != to?.Version) changes.Add(new InputChange(Module, slot, from?.Version, to?.Version));
            else if (from!.ContentDigest != to!.ContentDigest) changes.Add(new InputChange(ModuleContent, slot, from.ContentDigest, to.ContentDigest));
        }
        if (before.TestSuiteHash != after.TestSuiteHash) changes.Add(new InputChange(TestSuite, null, before.TestSuiteHash, after.TestSuiteHash));
        return changes;
    }
}
