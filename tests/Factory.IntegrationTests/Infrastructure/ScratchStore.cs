namespace Factory.IntegrationTests.Infrastructure;

/// <summary>A copy of the shipped manifest store and an empty state directory, in a temp folder, for one test.</summary>
public sealed class ScratchStore : IDisposable
{
    public string Root { get; }
    public string Manifests => Path.Combine(Root, "manifests");
    public string State => Path.Combine(Root, "state");

    public ScratchStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "factory-it-" + Guid.NewGuid().ToString("N")[..10]);
        Copy(Path.Combine(RepoRoot.Path, "manifests"), Manifests);
        Directory.CreateDirectory(State);
    }

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Manifests, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Adds a module version: module.yaml plus the given Dockerfile fragment.</summary>
    public void AddModule(string name, string version, string fragment)
    {
        Write($"modules/{name}/{version}/module.yaml", $"name: {name}\nversion: {version}\nowner: {{handle: \"@it\", team: it}}\ndescription: test module\n");
        Write($"modules/{name}/{version}/Dockerfile", fragment);
    }

    public string[] Args(params string[] args) => [.. args, "--manifest-store", Manifests, "--state", State];

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
