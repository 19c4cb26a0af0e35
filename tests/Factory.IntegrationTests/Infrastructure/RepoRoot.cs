namespace Factory.IntegrationTests.Infrastructure;

public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Factory.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Factory.sln not found above " + AppContext.BaseDirectory);
    }
}
