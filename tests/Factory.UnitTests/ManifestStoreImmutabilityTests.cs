using Factory.Manifests;
using Factory.UnitTests.Support;

namespace Factory.UnitTests;

/// <summary>ManifestStore.CheckImmutability and ModuleContentDigest: a released module version must not change.</summary>
public sealed class ManifestStoreImmutabilityTests : IDisposable
{
    private readonly TempManifestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Recorded_digests_that_match_give_no_errors()
    {
        var store = _store.Load();
        var recorded = new Dictionary<(string, string), string>
        {
            [("alpha", "1.0.0")] = store.FindModule("alpha", "1.0.0")!.ContentDigest,
            [("beta", "1.0.0")] = store.FindModule("beta", "1.0.0")!.ContentDigest,
        };
        Assert.Empty(store.CheckImmutability(recorded));
    }

    [Fact]
    public void A_module_whose_files_changed_since_release_is_reported_by_name_and_version()
    {
        var released = _store.Load().FindModule("alpha", "1.1.0")!.ContentDigest;
        _store.Write("modules/alpha/1.1.0/files/alpha.sh", "#!/bin/sh\necho changed\n");
        var store = _store.Load();
        var current = store.FindModule("alpha", "1.1.0")!.ContentDigest;
        Assert.NotEqual(released, current);

        var error = Assert.Single(store.CheckImmutability(new Dictionary<(string, string), string>
        {
            [("alpha", "1.1.0")] = released,
            [("alpha", "1.0.0")] = store.FindModule("alpha", "1.0.0")!.ContentDigest,
        }));
        Assert.EndsWith("modules/alpha/1.1.0", error.File.Replace('\\', '/'));
        Assert.Contains("module alpha 1.1.0 was released with content " + released, error.Message);
        Assert.Contains("now hash to " + current, error.Message);
        Assert.Contains("publish the change as a new version", error.Message);
    }

    [Fact]
    public void Every_changed_module_is_reported_in_name_then_version_order()
    {
        var store = _store.Load();
        var errors = store.CheckImmutability(new Dictionary<(string, string), string>
        {
            [("beta", "1.0.0")] = "sha256:old",
            [("alpha", "1.1.0")] = "sha256:old",
            [("alpha", "1.0.0")] = "sha256:old",
        });
        Assert.Equal(["alpha 1.0.0", "alpha 1.1.0", "beta 1.0.0"], errors.Select(e => e.Message.Split(' ')[1] + " " + e.Message.Split(' ')[2]));
    }

    [Fact]
    public void A_recorded_module_no_longer_in_the_store_is_not_an_error()
    {
        Assert.Empty(_store.Load().CheckImmutability(new Dictionary<(string, string), string> { [("gone", "1.0.0")] = "sha256:old" }));
    }

    [Fact]
    public void Only_the_given_module_versions_are_checked()
    {
        var store = _store.Load();
        var recorded = new Dictionary<(string, string), string>
        {
            [("alpha", "1.0.0")] = "sha256:old",
            [("alpha", "1.1.0")] = "sha256:old",
            [("beta", "1.0.0")] = store.FindModule("beta", "1.0.0")!.ContentDigest,
        };
        var error = Assert.Single(store.CheckImmutability([("alpha", "1.1.0"), ("beta", "1.0.0")], recorded));
        Assert.EndsWith("modules/alpha/1.1.0", error.File.Replace('\\', '/'));
        Assert.Contains("module alpha 1.1.0 was released with content sha256:old but its files now hash to " + store.FindModule("alpha", "1.1.0")!.ContentDigest, error.Message);
        Assert.Contains("publish the change as a new version", error.Message);
        Assert.Empty(store.CheckImmutability([("beta", "1.0.0")], recorded));
    }

    [Fact]
    public void A_given_module_version_never_recorded_or_not_in_the_store_is_not_an_error()
    {
        var recorded = new Dictionary<(string, string), string> { [("gone", "1.0.0")] = "sha256:old" };
        Assert.Empty(_store.Load().CheckImmutability([("alpha", "1.0.0"), ("gone", "1.0.0")], recorded));
    }

    [Fact]
    public void Given_module_versions_are_reported_once_each_in_name_then_version_order()
    {
        var recorded = new Dictionary<(string, string), string> { [("alpha", "1.0.0")] = "sha256:old", [("alpha", "1.1.0")] = "sha256:old", [("beta", "1.0.0")] = "sha256:old" };
        var errors = _store.Load().CheckImmutability([("beta", "1.0.0"), ("alpha", "1.1.0"), ("alpha", "1.0.0"), ("beta", "1.0.0")], recorded);
        Assert.Equal(["alpha 1.0.0", "alpha 1.1.0", "beta 1.0.0"], errors.Select(e => e.Message.Split(' ')[1] + " " + e.Message.Split(' ')[2]));
    }

    [Fact]
    public void The_content_digest_covers_file_names_and_contents_but_not_timestamps()
    {
        var dir = _store.PathOf("modules/alpha/1.0.0");
        var before = ModuleContentDigest.Compute(dir);
        File.SetLastWriteTimeUtc(Path.Combine(dir, "Dockerfile"), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(before, ModuleContentDigest.Compute(dir));

        File.Move(Path.Combine(dir, "files", "alpha.sh"), Path.Combine(dir, "files", "alpha2.sh"));
        var renamed = ModuleContentDigest.Compute(dir);
        Assert.NotEqual(before, renamed);

        File.AppendAllText(Path.Combine(dir, "files", "alpha2.sh"), "# more\n");
        Assert.NotEqual(renamed, ModuleContentDigest.Compute(dir));
    }

    [Fact]
    public void The_content_digest_is_pinned_for_fixed_files()
    {
        var dir = Path.Combine(_store.Root, "digest");
        Directory.CreateDirectory(Path.Combine(dir, "files"));
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "RUN true\n");
        File.WriteAllText(Path.Combine(dir, "files", "a.txt"), "a\n");
        // sha256 over "Dockerfile\0<sha256 of 'RUN true\n'>\nfiles/a.txt\0<sha256 of 'a\n'>\n"
        Assert.Equal("sha256:67cd229126bd9fd44d4a871d1704328a50a652aefb1d8410c72c07bc5c28d221", ModuleContentDigest.Compute(dir));
    }

    [Fact]
    public void A_symbolic_link_in_a_module_is_refused()
    {
        var dir = _store.PathOf("modules/alpha/1.0.0");
        File.CreateSymbolicLink(Path.Combine(dir, "files", "link.sh"), "/etc/passwd");
        ErrorAssert.Has(_store.LoadErrors(), "modules/alpha/1.0.0", "", "files/link.sh is a symbolic link");
    }
}
