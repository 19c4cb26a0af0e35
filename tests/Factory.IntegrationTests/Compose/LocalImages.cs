using Factory.Executor.Engine;

namespace Factory.IntegrationTests.Compose;

/// <summary>
/// Images from deploy/images/build.sh under the tests' own tag (the :latest tags are left alone), each built at most
/// once per test run; a build with nothing changed only checks its cache and pushes.
/// </summary>
public static class LocalImages
{
    public const string Tag = "compose-it";
    public const string Prefix = "127.0.0.1:5000/factory";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HashSet<string> Built = [];

    public static string Reference(string image) => $"{Prefix}/{image}:{Tag}";

    public static async Task EnsureAsync(params string[] images)
    {
        await Gate.WaitAsync();
        try
        {
            var missing = images.Where(i => !Built.Contains(i)).ToList();
            if (missing.Count == 0) return;
            var build = await ProcessRunner.RunAsync(Path.Combine(RepoRoot.Path, "deploy/images/build.sh"), [], new Dictionary<string, string>
            {
                ["FACTORY_IMAGES"] = string.Join(' ', missing),
                ["FACTORY_EXECUTOR_ARCHES"] = "amd64",
                ["FACTORY_IMAGE_TAG"] = Tag,
                ["FACTORY_IMAGE_LATEST"] = "no",
            }, TimeSpan.FromMinutes(40), workingDirectory: RepoRoot.Path);
            Assert.True(build.ExitCode == 0, $"deploy/images/build.sh ({string.Join(' ', missing)}) failed:\n{build.Combined}");
            Built.UnionWith(missing);
        }
        finally
        {
            Gate.Release();
        }
    }
}
