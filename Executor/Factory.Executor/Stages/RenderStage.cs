using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor.Engine;
using Factory.Manifests;

namespace Factory.Executor.Stages;

/// <summary>
/// Makes the build context in memory: the stitched Dockerfile plus each module version's files under
/// modules/&lt;name&gt;/&lt;version&gt;/, streamed to the engine as a tar, so that rendering writes nothing to disk.
/// Refuses a module whose content no longer matches the digest the plan was made with, and checks that digest again over
/// the very bytes put in the context.
/// </summary>
public sealed class RenderStage(ExecutorOptions options, TimeProvider clock)
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
        var files = new List<BuildContextFile>();
        foreach (var (selection, module) in item.Modules.Zip(modules))
            files.AddRange(ContextFiles(selection, module));
        var context = BuildContext.Create(DockerfileStitcher.Stitch(item, modules), files, clock.GetUtcNow());
        return new RenderedBuild(context, modules.Where(m => m.BuildNetwork).Select(m => m.Name).ToList());
    }

    /// <summary>Removes what the delivery left in its work directory (the tests' spooled output).</summary>
    public void Clean(Delivery delivery)
    {
        var work = delivery.WorkDirectory(options.StateDirectory);
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    /// <summary>
    /// The module's regular files, listed again without following links (one added since the load is refused) and read
    /// once; their digest must still be the planned one, so that what is built is what the plan named, whatever changed
    /// on disk between the load and the read (a file swapped for a link included).
    /// </summary>
    private static IEnumerable<BuildContextFile> ContextFiles(ModuleSelection selection, Module module)
    {
        IReadOnlyList<(string Full, string Relative)> listed;
        try { listed = ModuleFiles.List(module.Directory); }
        catch (InvalidDataException ex) { throw new ModuleMismatchException($"module directory {module.Directory} changed after it was loaded: {ex.Message}"); }
        var prefix = DockerfileStitcher.ContextPath(selection) + "/";
        var files = listed.Select(f => (f.Relative, Content: File.ReadAllBytes(f.Full), Info: new FileInfo(f.Full))).ToList();
        var digest = ModuleContentDigest.Compute(files.Select(f => (f.Relative, f.Content)));
        if (digest != selection.ContentDigest)
            throw new ModuleMismatchException($"module directory {module.Directory} changed after it was loaded: planned {selection.ContentDigest}, read {digest}");
        return files.Select(f => new BuildContextFile(prefix + f.Relative, f.Content, f.Info.UnixFileMode, f.Info.LastWriteTimeUtc));
    }
}
