using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Manifests;

namespace Factory.Executor.Stages;

/// <summary>
/// Writes the build context: the stitched Dockerfile plus each module version's directory under
/// modules/&lt;name&gt;/&lt;version&gt;/. Refuses a module whose content no longer matches the digest the plan was made with.
/// </summary>
public sealed class RenderStage(ExecutorOptions options)
{
    private readonly ModuleCache _modules = new();

    public RenderedBuild Render(WorkItem item, Delivery delivery)
    {
        using var activity = ExecutorTelemetry.Source.StartActivity("render");
        var store = Path.GetFullPath(options.ManifestStore);
        var modules = new List<Module>();
        foreach (var selection in item.Modules)
        {
            var module = _modules.Load(store, selection.Name, selection.Version);
            if (module.ContentDigest != selection.ContentDigest)
                throw new ModuleMismatchException($"module {selection.Name} {selection.Version} changed after the plan was made: planned {selection.ContentDigest}, found {module.ContentDigest}");
            modules.Add(module);
        }
        var context = Path.Combine(delivery.WorkDirectory(options.StateDirectory), "context");
        if (Directory.Exists(context)) Directory.Delete(context, recursive: true);
        Directory.CreateDirectory(context);
        foreach (var (selection, module) in item.Modules.Zip(modules))
            CopyDirectory(module.Directory, Path.Combine(context, DockerfileStitcher.ContextPath(selection)));
        var dockerfile = DockerfileStitcher.Stitch(item, modules);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        return new RenderedBuild(context, dockerfile, modules.Where(m => m.BuildNetwork).Select(m => m.Name).ToList());
    }

    public void Clean(Delivery delivery)
    {
        var work = delivery.WorkDirectory(options.StateDirectory);
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    /// <summary>Copies the module's regular files, listed again without following links: one added since the load is refused.</summary>
    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        IReadOnlyList<(string Full, string Relative)> files;
        try { files = ModuleFiles.List(source); }
        catch (InvalidDataException ex) { throw new ModuleMismatchException($"module directory {source} changed after it was loaded: {ex.Message}"); }
        foreach (var (file, relative) in files)
        {
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
