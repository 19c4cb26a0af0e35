using System.Text.RegularExpressions;
using Factory.Contracts.Manifests;

namespace Factory.Manifests;

internal static class EntryReader
{
    public static ManifestEntry? Read(string id, YamlNode node)
    {
        var before = node.Errors.Count;
        if (!Names.IsSafeName(id)) node.Error($"manifest id {Names.Quote(id)} is not valid: expected {Names.SafeNameRule}");
        if (!node.RequireMapping()) return null;
        node.RejectUnknownFields("template", "modules", "platforms", "accelerator", "description");
        var template = node.Field("template").String();
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        var modulesNode = node.Field("modules");
        if (modulesNode.RequireMapping())
            foreach (var (slot, versionNode) in modulesNode.Entries())
            {
                if (!Names.IsSafeName(slot)) { versionNode.Error($"module name {Names.Quote(slot)} is not valid: expected {Names.SafeNameRule}"); continue; }
                var version = versionNode.String();
                if (version is not null && !Names.IsSemVer(version)) versionNode.Error($"expected a semantic version such as 1.0.0, found {Names.Quote(version)}");
                else if (version is not null) modules[slot] = version;
            }
        var platforms = PlatformList.Read(node.Field("platforms"), required: true);
        var accelerator = node.Field("accelerator").String(required: false);
        if (accelerator is not null && !Names.KnownAccelerators.Contains(accelerator))
            node.Field("accelerator").Error($"expected one of {string.Join(", ", Names.KnownAccelerators)}, found {Names.Quote(accelerator)}");
        if (node.Errors.Count > before || template is null) return null;
        return new ManifestEntry { Id = id, Template = template, Modules = modules, Platforms = platforms, Accelerator = accelerator };
    }
}

internal static class PlatformList
{
    public static IReadOnlyList<string> Read(YamlNode node, bool required)
    {
        var items = node.Items(required);
        if (required && node.Node is not null && items.Count == 0) node.Error("must list at least one platform");
        var result = new List<string>();
        foreach (var item in items)
        {
            var value = item.String();
            if (value is null) continue;
            if (!Names.KnownPlatforms.Contains(value)) item.Error($"unknown platform {Names.Quote(value)}: expected one of {string.Join(", ", Names.KnownPlatforms)}");
            else if (result.Contains(value)) item.Error($"platform {value} is listed twice");
            else result.Add(value);
        }
        return result;
    }
}

internal static class TemplateReader
{
    public static Template? Read(string id, YamlNode doc)
    {
        var before = doc.Errors.Count;
        doc.RejectUnknownFields("id", "version", "base", "layers", "tests", "limits", "owner", "description");
        var declaredId = doc.Field("id").String();
        if (declaredId is not null && declaredId != id) doc.Field("id").Error($"must match the file name {Names.Quote(id)}, found {Names.Quote(declaredId)}");
        var version = doc.Field("version").String();
        if (version is not null && !Names.IsSemVer(version)) doc.Field("version").Error($"expected a semantic version such as 1.0.0, found {Names.Quote(version)}");
        var baseRef = doc.Field("base").String();
        if (baseRef is not null && !ImageReference.TryParse(baseRef, out _)) doc.Field("base").Error($"expected an image reference such as base/busybox:1.35 or repo@sha256:<64 hex>, found {Names.Quote(baseRef)}");
        var layersNode = doc.Field("layers");
        var layers = new List<string>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in layersNode.Items())
        {
            var slot = item.String();
            if (slot is null) continue;
            if (!Names.IsSafeName(slot)) item.Error($"slot name {Names.Quote(slot)} is not valid: expected {Names.SafeNameRule}");
            else if (!listed.Add(slot)) item.Error($"slot {slot} is listed twice");
            else layers.Add(slot);
        }
        if (layersNode.Node is not null && layers.Count == 0 && doc.Errors.Count == before) layersNode.Error("must list at least one module slot");
        var tests = doc.Field("tests").String();
        var limits = doc.Field("limits");
        int? maxImageMb = null;
        if (!limits.IsMissing && limits.RequireMapping())
        {
            limits.RejectUnknownFields("max_image_mb");
            maxImageMb = limits.Field("max_image_mb").Int(required: false, min: 1, max: 1_000_000);
        }
        var owner = doc.Field("owner").String();
        if (doc.Errors.Count > before) return null;
        return new Template
        {
            Id = id, Version = version!, Base = baseRef!, Layers = layers, Tests = tests!,
            Limits = new TemplateLimits { MaxImageMb = maxImageMb }, Owner = owner!,
        };
    }
}

internal static class TestSuiteReader
{
    public static TestSuite? Read(string id, YamlNode doc)
    {
        var before = doc.Errors.Count;
        doc.RejectUnknownFields("id", "tests", "description");
        var declaredId = doc.Field("id").String(required: false);
        if (declaredId is not null && declaredId != id) doc.Field("id").Error($"must match the file name {Names.Quote(id)}, found {Names.Quote(declaredId)}");
        var testsNode = doc.Field("tests");
        var items = testsNode.Items();
        if (testsNode.Node is not null && items.Count == 0) testsNode.Error("must list at least one test");
        var tests = new List<TestCase>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!item.RequireMapping()) continue;
            item.RejectUnknownFields("name", "run", "expect", "timeout", "platforms", "fresh_container");
            var name = item.Field("name").String();
            if (name is not null && !Names.IsSafeName(name)) item.Field("name").Error($"test name {Names.Quote(name)} is not valid: expected {Names.SafeNameRule}");
            else if (name is not null && !names.Add(name)) item.Field("name").Error($"test {name} is defined twice");
            var runNode = item.Field("run");
            var run = runNode.StringList();
            if (runNode.Node is not null && run.Count == 0) runNode.Error("must be a non-empty argv list, e.g. [sh, -c, 'echo ok']");
            var expect = item.Field("expect");
            var exitCode = 0;
            string? stdout = null;
            if (!expect.IsMissing && expect.RequireMapping())
            {
                expect.RejectUnknownFields("exit_code", "stdout");
                exitCode = expect.Field("exit_code").Int(required: false, min: 0, max: 255) ?? 0;
                stdout = expect.Field("stdout").String(required: false);
                if (stdout is not null && TestExpectation.RegexOf(stdout) is { } pattern)
                {
                    // Matched without backtracking (linear in the output), so no expectation can hang a test run.
                    try { _ = new Regex(pattern, RegexOptions.Multiline | RegexOptions.NonBacktracking); }
                    catch (NotSupportedException ex) { expect.Field("stdout").Error($"uses a construct that cannot be matched in linear time (backreferences, lookarounds, atomic groups): {ex.Message}"); }
                    catch (ArgumentException ex) { expect.Field("stdout").Error($"invalid regular expression: {ex.Message}"); }
                }
            }
            var timeout = item.Field("timeout").Duration(required: false) ?? TimeSpan.FromMinutes(1);
            if (timeout > TestCase.MaxTimeout)
            {
                item.Field("timeout").Error($"expected at most {DurationParser.Format(TestCase.MaxTimeout)}, found {DurationParser.Format(timeout)}");
                timeout = TestCase.MaxTimeout;
            }
            IReadOnlyList<string>? platforms = item.Field("platforms").IsMissing ? null : PlatformList.Read(item.Field("platforms"), required: false);
            var freshContainer = item.Field("fresh_container").Bool(required: false) ?? false;
            if (name is null || run.Count == 0) continue;
            tests.Add(new TestCase
            {
                Name = name, Run = run, Expect = new TestExpectation { ExitCode = exitCode, Stdout = stdout }, Timeout = timeout, Platforms = platforms,
                FreshContainer = freshContainer,
            });
        }
        if (doc.Errors.Count > before) return null;
        return new TestSuite { Id = id, Tests = tests };
    }
}

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
