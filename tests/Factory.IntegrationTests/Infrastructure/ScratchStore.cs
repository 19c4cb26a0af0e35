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
        LocalFleet.CopyDirectory(RepoRoot.Manifests, Manifests);
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

    /// <summary>Modules "light" versionPrefix.0 … whose build takes a while and is never in a cache (a marker unique to this call).</summary>
    public void AddSlowModules(string versionPrefix, int count, int seconds)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        for (var i = 0; i < count; i++)
            AddModule("light", $"{versionPrefix}.{i}", $"RUN echo \"light {versionPrefix}.{i} {marker}\" > /etc/factory/light && sleep {seconds}\n");
    }

    public string[] Args(params string[] args) => [.. args, "--manifest-store", Manifests, "--state", State];

    /// <summary>For commands that read only the state directory (records ...).</summary>
    public string[] StateArgs(params string[] args) => [.. args, "--state", State];

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
