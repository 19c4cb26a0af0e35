using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>Reads a plan file (or a plan id from the store's plans/ folder) and checks it against the store.</summary>
public static class PlanReader
{
    public const string PlatformKey = "platform";

    /// <summary>A plan file path as given, or the file of a plan id in the store's plans/ folder.</summary>
    public static string ResolvePath(string planOrId, string storeRoot)
    {
        if (File.Exists(planOrId)) return Path.GetFullPath(planOrId);
        var byId = Path.Combine(storeRoot, "plans", planOrId + ".yaml");
        if (Names.IsSafeName(planOrId) && File.Exists(byId)) return Path.GetFullPath(byId);
        if (Names.IsSafeName(planOrId) && File.Exists(Path.ChangeExtension(byId, ".yml")))
            throw new InvalidInputException(DisplayPath.Of(Path.ChangeExtension(byId, ".yml")), "", "is not read: plan files end in .yaml (rename it)");
        throw new InvalidInputException(planOrId, "", $"no plan file at this path and no plan with this id in {DisplayPath.Of(Path.Combine(storeRoot, "plans"))}");
    }

    /// <summary>
    /// The plan that builds a manifest as it stands: named after the manifest, no matrix, the manifest's platforms.
    /// <paramref name="sourceName"/> says where the id came from (e.g. "--manifest"), for errors.
    /// </summary>
    public static Plan ForManifest(ManifestStore store, string manifestId, string sourceName)
    {
        if (!store.Entries.ContainsKey(manifestId))
            throw new InvalidInputException(sourceName, "",
                $"manifest {Names.Quote(manifestId)} is not in {DisplayPath.Of(store.StoreFile)}: expected one of {ManifestStoreLoader.List(store.Entries.Keys)}");
        return new Plan
        {
            Id = manifestId, Manifest = manifestId, Matrix = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), Source = sourceName,
        };
    }

    public static Plan Load(string planOrId, ManifestStore store, long maxCombinations = PlanLimits.DefaultMaxCombinations)
    {
        var path = ResolvePath(planOrId, store.Root);
        using var reader = new StreamReader(path);
        return Parse(reader, DisplayPath.Of(path), store, maxCombinations: maxCombinations);
    }

    /// <summary>Reads a plan document (YAML, or JSON which is YAML too); <paramref name="sourceName"/> names it in errors.</summary>
    /// <remarks>A plan of more than <paramref name="maxCombinations"/> combinations (before excludes) is refused with its count.</remarks>
    public static Plan Parse(TextReader document, string sourceName, ManifestStore store, CancellationToken cancellation = default,
        long maxCombinations = PlanLimits.DefaultMaxCombinations)
    {
        var errors = new ErrorSink();
        var doc = YamlNode.Load(document, sourceName, errors, cancellation: cancellation);
        if (doc is null || !doc.RequireMapping()) errors.ThrowIfAny();
        var plan = Read(doc!, store, maxCombinations);
        errors.ThrowIfAny();
        return plan! with { Source = sourceName };
    }

    private static Plan? Read(YamlNode doc, ManifestStore store, long maxCombinations)
    {
        doc.RejectUnknownFields("id", "manifest", "matrix", "platforms", "include", "exclude", "priority", "deadline", "concurrency", "rerun", "labels", "description");
        var id = doc.Field("id").String();
        if (id is not null && !Names.IsSafeName(id)) doc.Field("id").Error($"plan id {Names.Quote(id)} is not valid: expected {Names.SafeNameRule}");
        var manifestId = doc.Field("manifest").String();
        ManifestEntry? entry = null;
        Template? template = null;
        if (manifestId is not null && !store.Entries.TryGetValue(manifestId, out entry))
            doc.Field("manifest").Error($"manifest {Names.Quote(manifestId)} is not in store.yaml: expected one of {ManifestStoreLoader.List(store.Entries.Keys)}");
        if (entry is not null) store.Templates.TryGetValue(entry.Template, out template);

        // No matrix, or an empty one, is the manifest as it stands: every slot at the manifest's version.
        var matrixNode = doc.Field("matrix");
        var matrix = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!matrixNode.IsMissing && matrixNode.RequireMapping())
        {
            foreach (var (slot, versionsNode) in matrixNode.Entries())
            {
                if (!CheckSlot(slot, versionsNode, template, store)) continue;
                var versions = new List<string>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var items = versionsNode.Items();
                if (versionsNode.Node is not null && items.Count == 0) versionsNode.Error("must list at least one version");
                foreach (var item in items)
                    if (item.String() is { } v && !seen.Contains(v) && CheckVersion(slot, v, item, store) && seen.Add(v)) versions.Add(v);
                if (versions.Count > 0) matrix[slot] = versions;
            }
        }

        var platformsNode = doc.Field("platforms");
        IReadOnlyList<string>? platforms = platformsNode.IsMissing ? null : PlatformList.Read(platformsNode, required: true);
        if (platforms is not null && entry is not null)
            // Walk the listed items, not the validated list: after an unknown platform the indices would differ.
            foreach (var item in platformsNode.Items())
                if (item.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } platform } && platforms.Contains(platform) && !entry.Platforms.Contains(platform))
                    item.Error($"manifest {entry.Id} does not support {platform}: it supports {string.Join(", ", entry.Platforms)}");

        var include = ReadCombinations(doc.Field("include"), template, entry, store);
        if (entry is not null && doc.Errors.Count == 0)
        {
            var count = PlanLimits.CountBeforeExcludes(matrix.Values.Select(v => v.Count), (platforms ?? entry.Platforms).Count, include.Count);
            if (count is null || count > maxCombinations)
                matrixNode.Error($"the plan has {(count is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "more than 9,223,372,036,854,775,807")} combinations " +
                    $"(matrix × platforms + includes, before excludes), more than the limit of {maxCombinations.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}: " +
                    "split the plan, or raise the limit (ControlPlane__Plans__MaxCombinations on the control plane, FACTORY_MAX_COMBINATIONS for the CLI)");
        }
        var exclude = ReadCombinations(doc.Field("exclude"), template, entry, store);
        var priority = doc.Field("priority").Int(required: false, min: 0, max: 9) ?? 0;
        TimeSpan? deadline = null;
        DateTimeOffset? deadlineAt = null;
        var deadlineNode = doc.Field("deadline");
        if (deadlineNode.String(required: false) is { } deadlineText)
        {
            if (DateTimeOffset.TryParse(deadlineText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && deadlineText.Contains('T'))
                deadlineAt = at;
            else
                deadline = deadlineNode.Duration(required: false);
        }
        var concurrency = doc.Field("concurrency").Int(required: false, min: 1, max: 10_000);
        var rerun = doc.Field("rerun").Int(required: false, min: 0, max: Plan.MaxRerun) ?? 0;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var labelsNode = doc.Field("labels");
        if (!labelsNode.IsMissing && labelsNode.RequireMapping())
            foreach (var (key, value) in labelsNode.Entries())
                if (value.String() is { } text) labels[key] = text;

        if (id is null || manifestId is null) return null;
        return new Plan
        {
            Id = id, Manifest = manifestId, Matrix = matrix, Platforms = platforms, Include = include, Exclude = exclude,
            Priority = priority, Deadline = deadline, DeadlineAt = deadlineAt, Concurrency = concurrency, Rerun = rerun, Labels = labels,
        };
    }

    private static bool CheckSlot(string slot, YamlNode node, Template? template, ManifestStore store)
    {
        if (!Names.IsSafeName(slot))
        {
            node.Error($"module slot {Names.Quote(slot)} is not valid: expected {Names.SafeNameRule}");
            return false;
        }
        if (template is not null && !template.Layers.Contains(slot))
        {
            node.Error($"slot {Names.Quote(slot)} is not a layer of template {template.Id}: expected one of {string.Join(", ", template.Layers)}");
            return false;
        }
        return true;
    }

    private static bool CheckVersion(string slot, string version, YamlNode node, ManifestStore store)
    {
        if (store.FindModule(slot, version) is not null) return true;
        // Made only for the errors kept: a list of 50,000 unknown versions would otherwise sort and join the slot's versions 50,000 times.
        node.Error(() => $"module {slot} has no version {Names.Quote(version)}: available {ManifestStoreLoader.List(store.VersionsOf(slot))}");
        return false;
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadCombinations(YamlNode node, Template? template, ManifestEntry? entry, ManifestStore store)
    {
        var result = new List<IReadOnlyDictionary<string, string>>();
        if (node.IsMissing) return result;
        foreach (var item in node.Items())
        {
            if (!item.RequireMapping()) continue;
            var combination = new Dictionary<string, string>(StringComparer.Ordinal);
            var ok = true;
            foreach (var (key, valueNode) in item.Entries())
            {
                var value = valueNode.String();
                if (value is null) { ok = false; continue; }
                if (key == PlatformKey)
                {
                    if (entry is not null && !entry.Platforms.Contains(value))
                    {
                        valueNode.Error($"manifest {entry.Id} does not support platform {Names.Quote(value)}: it supports {string.Join(", ", entry.Platforms)}");
                        ok = false;
                    }
                }
                else if (!CheckSlot(key, valueNode, template, store) || !CheckVersion(key, value, valueNode, store)) { ok = false; continue; }
                combination[key] = value;
            }
            if (combination.Count == 0) { item.Error("must name at least one slot or platform"); ok = false; }
            if (ok) result.Add(combination);
        }
        return result;
    }
}
