namespace Factory.UnitTests.Support;

/// <summary>Locates the repository from the test binaries: the nearest ancestor folder holding Factory.sln.</summary>
public static class RepoPaths
{
    public static string Root => Factory.Testing.RepoRoot.Path;
    public static string Manifests => Path.Combine(Root, "manifests");
    public static string Schemas => Path.Combine(Manifests, "schema");
}
