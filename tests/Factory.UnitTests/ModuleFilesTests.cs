using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>A module holds only regular files: a symbolic link of any kind is refused by validate, naming the module.</summary>
public sealed class ModuleFilesTests : IDisposable
{
    private readonly TempManifestStore _store = new();
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "factory-outside-" + Guid.NewGuid().ToString("N"));

    public ModuleFilesTests()
    {
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret"), "aws_secret_access_key=x\n");
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void A_module_of_regular_files_lists_them_in_ordinal_order()
    {
        var files = ModuleFiles.List(_store.PathOf("modules/alpha/1.0.0"));
        Assert.Equal(["Dockerfile", "files/alpha.sh", "module.yaml"], files.Select(f => f.Relative));
    }

    [Fact]
    public void A_symlinked_directory_inside_a_module_is_refused_naming_the_module()
    {
        File.CreateSymbolicLink(_store.PathOf("modules/alpha/1.0.0/files/creds"), _outside);
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0", "", "files/creds is a symbolic link");
    }

    [Fact]
    public void A_symlinked_file_is_refused()
    {
        File.CreateSymbolicLink(_store.PathOf("modules/alpha/1.0.0/files/secret"), Path.Combine(_outside, "secret"));
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0", "", "files/secret is a symbolic link");
    }

    [Fact]
    public void A_link_to_the_root_is_refused_without_walking_the_machine()
    {
        File.CreateSymbolicLink(_store.PathOf("modules/alpha/1.0.0/files/root"), "/");
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0", "", "files/root is a symbolic link");
    }

    [Fact]
    public void A_dangling_link_is_refused()
    {
        File.CreateSymbolicLink(_store.PathOf("modules/alpha/1.0.0/files/gone"), "/nonexistent/" + Guid.NewGuid());
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0", "", "files/gone is a symbolic link");
    }

    [Fact]
    public void A_module_version_reached_through_a_link_is_refused()
    {
        var real = Path.Combine(_outside, "1.2.0");
        Directory.CreateDirectory(Path.Combine(real, "files"));
        File.WriteAllText(Path.Combine(real, "module.yaml"), TempManifestStore.ModuleYaml("alpha", "1.2.0"));
        File.WriteAllText(Path.Combine(real, "Dockerfile"), TempManifestStore.AlphaFragment);
        File.WriteAllText(Path.Combine(real, "files", "alpha.sh"), "#!/bin/sh\n");
        Directory.CreateSymbolicLink(_store.PathOf("modules/alpha/1.2.0"), real);
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.2.0", "", "reached through the symbolic link");
    }
}
