using Factory.Manifests;

namespace Factory.Bench;

/// <summary>
/// A module version never built before: a copy of version 1.0.0 of a module whose fragment starts with a step writing a
/// marker, so that it and every layer above it are in no build cache.
/// </summary>
public static class MarkedModule
{
    public static async Task AddAsync(string store, string name, string version, string marker, CancellationToken ct)
    {
        var module = ModuleLoader.DirectoryOf(store, name, version);
        Directory.CreateDirectory(module);
        var original = ModuleLoader.DirectoryOf(store, name, "1.0.0");
        await File.WriteAllTextAsync(Path.Combine(module, "module.yaml"),
            (await File.ReadAllTextAsync(Path.Combine(original, "module.yaml"), ct)).Replace("version: 1.0.0", $"version: {version}"), ct);
        await File.WriteAllTextAsync(Path.Combine(module, "Dockerfile"),
            $"RUN echo \"bench {marker}\" > /etc/factory-bench-marker\n" + await File.ReadAllTextAsync(Path.Combine(original, "Dockerfile"), ct), ct);
    }
}
