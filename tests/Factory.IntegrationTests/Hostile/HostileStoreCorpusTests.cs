using Factory.IntegrationTests.Infrastructure;

namespace Factory.IntegrationTests.Hostile;

/// <summary>Walks tests/hostile/store: every change to a copy of the store is refused by `manifests validate` with exit 2, naming the file.</summary>
public sealed class HostileStoreCorpusTests
{
    public static TheoryData<string> StoreCases() => new(HostileCase.Names("store", ".case"));

    [Theory]
    [MemberData(nameof(StoreCases))]
    public async Task A_hostile_store_change_is_refused_by_validate_naming_the_file(string name)
    {
        var @case = HostileCase.Load("store", name);
        using var store = new ScratchStore();
        if (@case.Get("file") is { } file) store.Write(file, @case.Body);
        if (@case.Get("mkdir") is { } directory) Directory.CreateDirectory(Path.Combine(store.Manifests, directory));
        if (@case.Get("link") is { } link)
        {
            var (path, target) = (link.Split(" -> ")[0], link.Split(" -> ")[1]);
            var at = Path.Combine(store.Manifests, path);
            Directory.CreateDirectory(Path.GetDirectoryName(at)!);
            var resolved = Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(at)!, target);
            if (Directory.Exists(resolved)) Directory.CreateSymbolicLink(at, target);
            else File.CreateSymbolicLink(at, target);
        }

        var validate = await FactoryCli.RunAsync(store.Args("manifests", "validate"));
        Assert.True(validate.ExitCode == 2, $"{name}: {validate}");
        Assert.Contains(@case.Expect, validate.Stderr.Replace(store.Manifests + "/", ""));
    }
}
