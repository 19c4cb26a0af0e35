namespace Factory.UnitTests.Support;

/// <summary>Locates the repository from the test binaries: the nearest ancestor folder holding Factory.sln.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Factory.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Factory.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootPath.Value;
    public static string Manifests => Path.Combine(Root, "manifests");
    public static string Schemas => Path.Combine(Manifests, "schema");
}
