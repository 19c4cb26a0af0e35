using Factory.Contracts.Records;

namespace Factory.Records;

/// <summary>
/// Records saved together, with the outcome of saving them one by one in order: a build id's first record in the group
/// is the one stored (a later one changes nothing, as a redelivered result does), and a module version's digest is the
/// first one in record order, from any record of the group, stored or not (as one by one: the first build to record a
/// module version's digest wins).
/// </summary>
public sealed class RecordGroup
{
    private readonly IReadOnlyList<CompatibilityRecord> _all;

    public RecordGroup(IReadOnlyList<CompatibilityRecord> records)
    {
        _all = records;
        Records = records.DistinctBy(r => r.BuildId).ToList();
        Digests = records.SelectMany(r => r.Modules.Select(m => new FirstModuleDigest(m.Name, m.Version, m.ContentDigest, r.BuildId)))
            .DistinctBy(d => (d.Name, d.Version)).ToList();
    }

    /// <summary>The first record of each build id, in order: the ones to store unless their build id is already stored.</summary>
    public IReadOnlyList<CompatibilityRecord> Records { get; }

    /// <summary>The first digest of each module version in the group: the ones to store unless the version has one already.</summary>
    public IReadOnlyList<FirstModuleDigest> Digests { get; }

    /// <summary>Per record given, in order: whether it was inserted (only a build id's first record can be, if <paramref name="inserted"/> holds it).</summary>
    public IReadOnlyList<bool> Outcomes(IReadOnlySet<Guid> inserted)
    {
        var claimed = new HashSet<Guid>();
        return _all.Select(r => claimed.Add(r.BuildId) && inserted.Contains(r.BuildId)).ToList();
    }
}
