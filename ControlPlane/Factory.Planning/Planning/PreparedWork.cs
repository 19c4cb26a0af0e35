using Factory.Planning.Registry;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Planning;

/// <summary>
/// A plan that passed every check that can fail (pools served, base images resolved), holding neither its
/// combinations nor its work items: they are made one at a time as <see cref="Items"/> is enumerated, so a caller
/// that streams them (plan render) never holds 100k of either. Enumerating twice makes them twice.
/// </summary>
public sealed class PreparedWork
{
    private readonly ManifestStore _store;
    private readonly ManifestEntry _entry;
    private readonly Template _template;
    private readonly string _suiteId, _suiteHash, _manifestHash;
    private readonly DateTimeOffset? _deadline;
    private readonly IReadOnlyDictionary<string, (PoolDefinition Pool, ResolvedImage Base, IReadOnlyList<TestCase> Tests, IdempotencyKeyHasher Keys)> _platforms;

    internal PreparedWork(Plan plan, ManifestStore store, long count, string suiteHash, string manifestHash, DateTimeOffset now,
        IReadOnlyDictionary<string, (PoolDefinition Pool, ResolvedImage Base, IReadOnlyList<TestCase> Tests, IdempotencyKeyHasher Keys)> platforms)
    {
        Plan = plan;
        _store = store;
        Count = count;
        _entry = store.Entries[plan.Manifest];
        _template = store.Templates[_entry.Template];
        _suiteId = _template.Tests;
        _suiteHash = suiteHash;
        _manifestHash = manifestHash;
        _deadline = plan.DeadlineAt ?? (plan.Deadline is { } d ? now + d : null);
        _platforms = platforms;
    }

    public Plan Plan { get; }

    /// <summary>How many work items <see cref="Items"/> makes (combinations are distinct, and so are their keys).</summary>
    public long Count { get; }

    /// <summary>Every work item at once, for callers that store or send them all.</summary>
    public IReadOnlyList<WorkItem> ToList()
    {
        // Capacity for up to a million items up front; beyond that the list grows as usual.
        var items = new List<WorkItem>((int)Math.Min(Count, 1 << 20));
        items.AddRange(Items());
        return items;
    }

    public IEnumerable<WorkItem> Items()
    {
        // A module version's selection is the same object in every item that uses it.
        var selections = _template.Layers.Select(_ => new Dictionary<string, ModuleSelection>(StringComparer.Ordinal)).ToArray();
        foreach (var combination in MatrixExpander.Enumerate(Plan, _store))
        {
            var platform = _platforms[combination.Platform];
            var modules = new ModuleSelection[_template.Layers.Count];
            for (var i = 0; i < modules.Length; i++)
            {
                var slot = _template.Layers[i];
                var version = combination.Modules[slot];
                if (!selections[i].TryGetValue(version, out var selection))
                {
                    var module = _store.FindModule(slot, version)!;
                    selection = new ModuleSelection { Slot = slot, Name = module.Name, Version = module.Version, ContentDigest = module.ContentDigest, Owner = module.Owner, BuildNetwork = module.BuildNetwork };
                    selections[i][version] = selection;
                }
                modules[i] = selection;
            }
            yield return new WorkItem
            {
                IdempotencyKey = platform.Keys.Compute(combination.Modules),
                PlanId = Plan.Id,
                ManifestId = _entry.Id,
                TemplateId = _template.Id,
                TemplateVersion = _template.Version,
                BaseImage = platform.Base.Reference,
                BaseDigest = platform.Base.Digest,
                Platform = combination.Platform,
                Accelerator = _entry.Accelerator,
                Pool = platform.Pool.Name,
                Modules = modules,
                TestSuiteId = _suiteId,
                TestSuiteHash = _suiteHash,
                ManifestHash = _manifestHash,
                Tests = platform.Tests,
                MaxImageMb = _template.Limits.MaxImageMb,
                Priority = Plan.Priority,
                Deadline = _deadline,
            };
        }
    }
}
