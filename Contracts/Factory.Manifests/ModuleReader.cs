using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

internal static class ModuleReader
{
    public static Dictionary<string, IReadOnlyDictionary<string, Module>> ReadAll(string modulesRoot, ErrorSink errors)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, Module>>(StringComparer.Ordinal);
        if (!Directory.Exists(modulesRoot)) return result;
        foreach (var nameDir in Directory.EnumerateDirectories(modulesRoot).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(nameDir);
            if (!Names.IsSafeName(name))
            {
                errors.Add(DisplayPath.Of(nameDir), "", $"module directory name {Names.Quote(name)} is not valid: expected {Names.SafeNameRule}");
                continue;
            }
            var versions = new Dictionary<string, Module>(StringComparer.Ordinal);
            foreach (var versionDir in Directory.EnumerateDirectories(nameDir).Order(StringComparer.Ordinal))
                if (ReadOne(name, versionDir, errors) is { } module) versions[module.Version] = module;
            result[name] = versions;
        }
        return result;
    }

    internal static Module? ReadOne(string name, string directory, ErrorSink errors)
    {
        var before = errors.Count;
        var version = Path.GetFileName(directory);
        var display = DisplayPath.Of(directory);
        if (!Names.IsSemVer(version))
        {
            errors.Add(display, "", $"module version directory {Names.Quote(version)} is not a semantic version such as 1.0.0");
            return null;
        }
        var metaFile = Path.Combine(directory, "module.yaml");
        if (!File.Exists(metaFile))
        {
            errors.Add(display, "", "has no module.yaml (name, version, owner, description)");
            return null;
        }
        var doc = YamlNode.Load(metaFile, DisplayPath.Of(metaFile), errors);
        if (doc is null || !doc.RequireMapping()) return null;
        doc.RejectUnknownFields("name", "version", "owner", "description", "build");
        var declaredName = doc.Field("name").String();
        if (declaredName is not null && !Names.IsSafeName(declaredName)) doc.Field("name").Error($"module name {Names.Quote(declaredName)} is not valid: expected {Names.SafeNameRule}");
        else if (declaredName is not null && declaredName != name) doc.Field("name").Error($"must match the directory name {Names.Quote(name)}, found {Names.Quote(declaredName)}");
        var declaredVersion = doc.Field("version").String();
        if (declaredVersion is not null && declaredVersion != version) doc.Field("version").Error($"must match the directory name {Names.Quote(version)}, found {Names.Quote(declaredVersion)}");
        var ownerNode = doc.Field("owner");
        string? handle = null, team = null;
        if (ownerNode.RequireMapping())
        {
            handle = ownerNode.Field("handle").String();
            team = ownerNode.Field("team").String();
        }
        var description = doc.Field("description").String(required: false) ?? "";
        var buildNode = doc.Field("build");
        var network = false;
        if (!buildNode.IsMissing && buildNode.RequireMapping())
        {
            buildNode.RejectUnknownFields("network");
            network = buildNode.Field("network").Bool(required: false) ?? false;
        }
        var fragmentFile = Path.Combine(directory, "Dockerfile");
        string? fragment = null;
        if (!File.Exists(fragmentFile)) errors.Add(display, "Dockerfile", "is missing: a module needs a Dockerfile fragment");
        else
        {
            fragment = File.ReadAllText(fragmentFile);
            foreach (var problem in DockerfileFragment.Check(fragment, directory))
                errors.Add(DisplayPath.Of(fragmentFile), "", problem);
        }
        string? digest = null;
        try { digest = ModuleContentDigest.Compute(directory); }
        catch (InvalidDataException ex) { errors.Add(display, "", ex.Message); }
        if (errors.Count > before) return null;
        return new Module
        {
            Name = name, Version = version, Owner = new ModuleOwner(handle!, team!), Description = description,
            Fragment = fragment!, ContentDigest = digest!, Directory = directory, BuildNetwork = network,
        };
    }
}
