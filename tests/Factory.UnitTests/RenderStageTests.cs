using System.Formats.Tar;
using System.Text;
using Factory.Contracts.Manifests;
using Factory.Contracts.Messages;
using Factory.Executor;
using Factory.Executor.Engine;
using Factory.Executor.Stages;
using Factory.Manifests;
using Factory.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Factory.UnitTests;

/// <summary>
/// RenderStage makes the build context in memory and the engine is sent it as a tar: the tar holds exactly what the
/// copied context directory held (the stitched Dockerfile and every file of each module version under
/// modules/NAME/VERSION/, byte for byte and with its mode), the Dockerfile first as the docker CLI needs, nothing is
/// written to disk, and a module that changed since the plan, or holds a link, is refused.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RenderStageTests : IDisposable
{
    private readonly TempManifestStore _store = new();
    private readonly string _state = Path.Combine(Path.GetTempPath(), "factory-render-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public RenderStageTests()
    {
        _store.Write("modules/alpha/1.0.0/files/lib/deep/data.txt", "nested\n");
        File.SetUnixFileMode(_store.PathOf("modules/alpha/1.0.0/files/alpha.sh"), (UnixFileMode)0b111_101_101);
    }

    private RenderStage Stage() => new(new ExecutorOptions { ManifestStore = _store.Root, StateDirectory = _state }, _clock);

    private WorkItem Item() => SbomSamples.Item() with
    {
        ManifestId = "app",
        TemplateId = "base",
        Modules =
        [
            new ModuleSelection { Slot = "alpha", Name = "alpha", Version = "1.0.0", ContentDigest = ModuleContentDigest.Compute(_store.PathOf("modules/alpha/1.0.0")) },
            new ModuleSelection { Slot = "beta", Name = "beta", Version = "1.0.0", ContentDigest = ModuleContentDigest.Compute(_store.PathOf("modules/beta/1.0.0")) },
        ],
    };

    private static List<TarEntry> Entries(BuildContext context)
    {
        var tar = new MemoryStream();
        context.WriteTar(tar);
        tar.Position = 0;
        using var reader = new TarReader(tar);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry) entries.Add(entry);
        return entries;
    }

    private static byte[] Bytes(TarEntry entry)
    {
        using var copy = new MemoryStream();
        entry.DataStream?.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void The_tar_holds_the_stitched_dockerfile_and_every_module_file_byte_for_byte_with_its_mode_and_nothing_else()
    {
        var item = Item();
        var rendered = Stage().Render(item, Delivery.New(Guid.NewGuid(), 1));

        var modules = item.Modules.Select(m => ModuleLoader.Load(_store.Root, m.Name, m.Version)).ToList();
        Assert.Equal(DockerfileStitcher.Stitch(item, modules), rendered.Dockerfile);
        var expected = new Dictionary<string, (byte[] Content, UnixFileMode Mode)>(StringComparer.Ordinal)
        {
            ["Dockerfile"] = (Encoding.UTF8.GetBytes(rendered.Dockerfile), (UnixFileMode)0b110_100_100),
        };
        foreach (var (selection, module) in item.Modules.Zip(modules))
            foreach (var (full, relative) in ModuleFiles.List(module.Directory))
                expected[$"modules/{selection.Name}/{selection.Version}/{relative}"] = (File.ReadAllBytes(full), File.GetUnixFileMode(full));

        var entries = Entries(rendered.Context);
        var files = entries.Where(e => e.EntryType == TarEntryType.RegularFile || e.EntryType == TarEntryType.V7RegularFile).ToList();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), files.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            Assert.Equal(expected[file.Name].Content, Bytes(file));
            Assert.Equal(expected[file.Name].Mode, file.Mode);
            Assert.Equal((0, 0), (file.Uid, file.Gid));
        }
        Assert.Contains(expected.Keys, k => k.EndsWith("/files/alpha.sh", StringComparison.Ordinal) && expected[k].Mode.HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(["modules/", "modules/alpha/", "modules/alpha/1.0.0/", "modules/alpha/1.0.0/files/", "modules/alpha/1.0.0/files/lib/",
            "modules/alpha/1.0.0/files/lib/deep/", "modules/beta/", "modules/beta/1.0.0/"],
            entries.Where(e => e.EntryType == TarEntryType.Directory).Select(e => e.Name));
        // Each directory comes before anything in it.
        for (var i = 0; i < entries.Count; i++)
            Assert.DoesNotContain(entries.Skip(i + 1), later => later.EntryType == TarEntryType.Directory && entries[i].Name.StartsWith(later.Name, StringComparison.Ordinal));
        Assert.False(Directory.Exists(_state), "rendering wrote to the state directory");
    }

    [Fact]
    public void The_dockerfile_comes_first_in_ustar_format_so_that_the_docker_cli_takes_the_stream_for_an_archive()
    {
        var tar = new MemoryStream();
        Stage().Render(Item(), Delivery.New(Guid.NewGuid(), 1)).Context.WriteTar(tar);
        var header = tar.ToArray().AsSpan(0, 512);
        Assert.Equal("Dockerfile", Encoding.ASCII.GetString(header[..10]));
        Assert.Equal(0, header[10]);
        Assert.Equal("ustar\u000000", Encoding.ASCII.GetString(header.Slice(257, 8)));
        Assert.Equal((byte)'0', header[156]); // a regular file, not a PAX extended header ('x')
    }

    [Fact]
    public void The_same_inputs_give_the_same_tar_byte_for_byte()
    {
        var stage = Stage();
        var (first, second) = (new MemoryStream(), new MemoryStream());
        stage.Render(Item(), Delivery.New(Guid.NewGuid(), 1)).Context.WriteTar(first);
        stage.Render(Item(), Delivery.New(Guid.NewGuid(), 2)).Context.WriteTar(second);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void A_module_changed_after_the_plan_was_made_is_refused_naming_both_digests()
    {
        var item = Item();
        _store.Write("modules/alpha/1.0.0/files/alpha.sh", "#!/bin/sh\necho changed\n");
        var error = Assert.Throws<ModuleMismatchException>(() => Stage().Render(item, Delivery.New(Guid.NewGuid(), 1)));
        Assert.Contains("module alpha 1.0.0 changed after the plan was made", error.Message);
        Assert.Contains(item.Modules[0].ContentDigest, error.Message);
    }

    [Fact]
    public void A_module_file_replaced_by_a_symbolic_link_is_refused_and_nothing_is_read_through_it()
    {
        var item = Item();
        var secret = Path.Combine(_state, "secret");
        Directory.CreateDirectory(_state);
        File.WriteAllText(secret, "#!/bin/sh\necho alpha 1.0.0\n"); // even the same bytes as the file it replaces
        File.Delete(_store.PathOf("modules/alpha/1.0.0/files/alpha.sh"));
        File.CreateSymbolicLink(_store.PathOf("modules/alpha/1.0.0/files/alpha.sh"), secret);
        var error = Assert.ThrowsAny<Exception>(() => Stage().Render(item, Delivery.New(Guid.NewGuid(), 1)));
        Assert.Contains("symbolic link", error.Message);
    }

    /// <summary>
    /// Each name leads to a directory that exists (outside/1.0.0 beside the store's modules, or another module), so a
    /// stage that read it would fail later, on the digest, as a changed module: only refusing the name first gives an
    /// invalid module reference.
    /// </summary>
    [Theory]
    [InlineData("../outside", "1.0.0")]
    [InlineData("alpha", "../../outside/1.0.0")]
    [InlineData("alpha", "1.0.0/../../beta/1.0.0")]
    public void A_work_item_naming_a_module_outside_the_store_is_refused_as_an_invalid_module_reference(string name, string version)
    {
        _store.Write("outside/1.0.0/files/secret.txt", "not a module\n");
        var item = Item();
        item = item with { Modules = [item.Modules[0] with { Name = name, Version = version }] };
        var error = Assert.Throws<InvalidInputException>(() => Stage().Render(item, Delivery.New(Guid.NewGuid(), 1)));
        Assert.Contains("invalid module reference", error.Message);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("modules/../../etc/passwd")]
    [InlineData("modules//x")]
    [InlineData("./x")]
    [InlineData("")]
    [InlineData("Dockerfile")]
    public void A_context_path_outside_the_context_or_over_the_dockerfile_is_refused(string path)
    {
        var file = new BuildContextFile(path, [1], (UnixFileMode)0b110_100_100, DateTimeOffset.UnixEpoch);
        var error = Assert.Throws<ArgumentException>(() => BuildContext.Create("FROM scratch\n", [file], DateTimeOffset.UnixEpoch));
        Assert.Contains($"'{path}'", error.Message);
    }

    [Fact]
    public void A_context_path_given_twice_is_refused()
    {
        var file = new BuildContextFile("modules/a/1.0.0/x", [1], (UnixFileMode)0b110_100_100, DateTimeOffset.UnixEpoch);
        var error = Assert.Throws<ArgumentException>(() => BuildContext.Create("FROM scratch\n", [file, file with { Content = [2] }], DateTimeOffset.UnixEpoch));
        Assert.Contains("given twice", error.Message);
    }

    [Fact]
    public void The_digest_over_bytes_read_is_the_digest_of_the_directory()
    {
        var directory = _store.PathOf("modules/alpha/1.0.0");
        var read = ModuleFiles.List(directory).Reverse().Select(f => (f.Relative, File.ReadAllBytes(f.Full)));
        Assert.Equal(ModuleContentDigest.Compute(directory), ModuleContentDigest.Compute(read));
    }

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }
}
