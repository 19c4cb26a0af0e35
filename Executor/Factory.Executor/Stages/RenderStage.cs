using System.Diagnostics.CodeAnalysis;
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
        var files = new List<BuildContextFile>();
        foreach (var selection in item.Modules)
        {
            var (module, read) = Read(store, selection);
            modules.Add(module);
            files.AddRange(read);
        }
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
    /// The module version's regular files, listed without following links and read once, and the module parsed from them
    /// (once per content digest, <see cref="ModuleCache"/>). Their digest must be the planned one, and the parsed module's
    /// the same, so that what is built is what the plan named, whatever changes on disk meanwhile (a file swapped for a
    /// link included).
    /// </summary>
    private (Module Module, IEnumerable<BuildContextFile> Files) Read(string store, ModuleSelection selection)
    {
        var directory = ModuleLoader.DirectoryOf(store, selection.Name, selection.Version);
        List<(string Relative, byte[] Content, FileInfo Info)> files = [];
        try
        {
            files = ModuleFiles.List(directory).Select(f => (f.Relative, File.ReadAllBytes(f.Full), new FileInfo(f.Full))).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Refuse(store, selection, ex.Message);
        }
        var digest = ModuleContentDigest.Compute(files.Select(f => (f.Relative, f.Content)));
        if (digest != selection.ContentDigest)
            throw new ModuleMismatchException($"module {selection.Name} {selection.Version} changed after the plan was made: planned {selection.ContentDigest}, found {digest}");
        var module = _modules.Load(store, selection.Name, selection.Version, digest);
        if (module.ContentDigest != digest)
            throw new ModuleMismatchException($"module directory {module.Directory} changed while it was read: read {digest}, then loaded {module.ContentDigest}");
        var prefix = DockerfileStitcher.ContextPath(selection) + "/";
        return (module, files.Select(f => new BuildContextFile(prefix + f.Relative, f.Content, f.Info.UnixFileMode, f.Info.LastWriteTimeUtc)));
    }

    /// <summary>
    /// A module that cannot be read as a module directory: loading it says what is wrong (no such module, a file it cannot
    /// read, a link), as it always did. One that loads after all changed while it was read.
    /// </summary>
    [DoesNotReturn]
    private void Refuse(string store, ModuleSelection selection, string why)
    {
        var loaded = _modules.Load(store, selection.Name, selection.Version);
        throw new ModuleMismatchException($"module directory {loaded.Directory} changed while it was read: {why}");
    }
}
