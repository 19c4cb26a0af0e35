namespace Factory.Testing;

/// <summary>The repository, found from the running binaries (or the working directory): the nearest folder holding Factory.sln.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Factory.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Factory.sln above {AppContext.BaseDirectory}");
    });

    public static string Path => Root.Value;
    public static string Manifests => System.IO.Path.Combine(Path, "manifests");
}
