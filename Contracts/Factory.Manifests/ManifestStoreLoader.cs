using Factory.Contracts.Manifests;

namespace Factory.Manifests;

/// <summary>Reads and validates manifests/: store.yaml, templates/, modules/, tests/. Every problem is collected, then thrown at once.</summary>
public static class ManifestStoreLoader
{
    public static ManifestStore Load(string root)
    {
        var errors = new ErrorSink();
        if (!Directory.Exists(root))
            throw new InvalidInputException(DisplayPath.Of(root), "", "the manifest store directory does not exist");
        root = Path.GetFullPath(root);

        var suites = LoadAll(Path.Combine(root, "tests"), errors, TestSuiteReader.Read);
        var templates = LoadAll(Path.Combine(root, "templates"), errors, TemplateReader.Read);
        var modules = ModuleReader.ReadAll(Path.Combine(root, "modules"), errors);
        var entries = new Dictionary<string, ManifestEntry>(StringComparer.Ordinal);
        var storeFile = Path.Combine(root, "store.yaml");
        if (!File.Exists(storeFile))
            errors.Add(DisplayPath.Of(storeFile), "", "is missing: the manifest store needs a store.yaml listing its manifests");
        else if (YamlNode.Load(storeFile, DisplayPath.Of(storeFile), errors) is { } doc && doc.RequireMapping())
            foreach (var (id, node) in doc.Entries())
                if (EntryReader.Read(id, node) is { } entry) entries[id] = entry;

        var store = new ManifestStore { Root = root, Entries = entries, Templates = templates, TestSuites = suites, Modules = modules };
        CrossCheck(store, errors);
        errors.ThrowIfAny();
        return store;
    }

    private static Dictionary<string, T> LoadAll<T>(string directory, ErrorSink errors, Func<string, YamlNode, T?> read) where T : class
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        if (!Directory.Exists(directory)) return result;
        foreach (var misnamed in Directory.EnumerateFiles(directory, "*.yml").Order(StringComparer.Ordinal))
            errors.Add(DisplayPath.Of(misnamed), "", "is not read: manifest files end in .yaml (rename it)");
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var display = DisplayPath.Of(file);
            if (!Names.IsSafeName(id))
            {
                errors.Add(display, "", $"file name {Names.Quote(id)} is not a valid id: expected {Names.SafeNameRule}");
                continue;
            }
            if (YamlNode.Load(file, display, errors) is { } doc && doc.RequireMapping() && read(id, doc) is { } item)
                result[id] = item;
        }
        return result;
    }

    private static void CrossCheck(ManifestStore store, ErrorSink errors)
    {
        var templateFiles = store.Templates.Keys.ToDictionary(k => k, k => DisplayPath.Of(store.TemplateFile(k)));
        foreach (var template in store.Templates.Values)
            if (!store.TestSuites.ContainsKey(template.Tests))
                errors.Add(templateFiles[template.Id], "tests", $"test suite {Names.Quote(template.Tests)} does not exist: expected one of {List(store.TestSuites.Keys)} (manifests/tests/<suite>.yaml)");

        var storeFile = DisplayPath.Of(store.StoreFile);
        foreach (var entry in store.Entries.Values)
        {
            if (!store.Templates.TryGetValue(entry.Template, out var template))
            {
                errors.Add(storeFile, $"{entry.Id}.template", $"template {Names.Quote(entry.Template)} does not exist: expected one of {List(store.Templates.Keys)}");
                continue;
            }
            foreach (var (slot, version) in entry.Modules)
            {
                if (!template.Layers.Contains(slot))
                    errors.Add(storeFile, $"{entry.Id}.modules.{slot}", $"slot {Names.Quote(slot)} is not a layer of template {template.Id}: expected one of {List(template.Layers)}");
                else if (store.FindModule(slot, version) is null)
                    errors.Add(storeFile, $"{entry.Id}.modules.{slot}", $"module {slot} has no version {Names.Quote(version)}: available {List(store.VersionsOf(slot))}");
            }
            foreach (var slot in template.Layers.Where(l => !entry.Modules.ContainsKey(l)))
                errors.Add(storeFile, $"{entry.Id}.modules", $"layer {Names.Quote(slot)} of template {template.Id} has no module version");
        }
    }

    internal static string List(IEnumerable<string> items)
    {
        var list = items.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
