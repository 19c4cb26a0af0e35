using System.Formats.Tar;

namespace Factory.Executor.Engine;

/// <summary>
/// A build context held in memory and streamed to the engine as a tar (<c>docker build -</c>), so that a build creates
/// no files on the host: the Dockerfile at the root, then the other files, each directory before what it holds. The
/// same inputs give the same tar, byte for byte.
/// </summary>
public sealed class BuildContext
{
    public const string DockerfileName = "Dockerfile";
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101; // 0755, as a directory made under umask 022
    private const UnixFileMode DockerfileMode = (UnixFileMode)0b110_100_100; // 0644

    private BuildContext(string dockerfile, IReadOnlyList<BuildContextFile> files, DateTimeOffset made) =>
        (Dockerfile, Files, Made) = (dockerfile, files, made);

    public string Dockerfile { get; }

    /// <summary>The files besides the Dockerfile, in ordinal order of their paths.</summary>
    public IReadOnlyList<BuildContextFile> Files { get; }

    /// <summary>The time given to the Dockerfile and the directories, which have no file on disk to take one from.</summary>
    public DateTimeOffset Made { get; }

    /// <exception cref="ArgumentException">A path that is empty, absolute, has an empty, "." or ".." part, is given twice, or is the Dockerfile's.</exception>
    public static BuildContext Create(string dockerfile, IEnumerable<BuildContextFile> files, DateTimeOffset made)
    {
        var sorted = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            var path = sorted[i].Path;
            if (path.Length == 0 || path.StartsWith('/') || path.Split('/').Any(part => part is "" or "." or ".."))
                throw new ArgumentException($"'{path}' is not a relative path inside a build context", nameof(files));
            if (path == DockerfileName)
                throw new ArgumentException($"'{path}' would replace the stitched Dockerfile", nameof(files));
            if (i > 0 && sorted[i - 1].Path == path)
                throw new ArgumentException($"'{path}' is given twice", nameof(files));
        }
        return new BuildContext(dockerfile, sorted, made);
    }

    /// <summary>A context of a Dockerfile alone.</summary>
    public static BuildContext Of(string dockerfile) => Create(dockerfile, [], DateTimeOffset.UtcNow);

    /// <summary>
    /// Writes the context as a tar. The first entry is the Dockerfile in ustar format, whose header the docker CLI
    /// recognises as an archive from its first bytes (a PAX header first would need more than it peeks at); the rest
    /// are PAX entries, which keep long paths and sub-second times.
    /// </summary>
    public void WriteTar(Stream output)
    {
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, DockerfileName)
        {
            Mode = DockerfileMode,
            ModificationTime = Made,
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Dockerfile), writable: false),
        });
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            for (var slash = file.Path.IndexOf('/'); slash >= 0; slash = file.Path.IndexOf('/', slash + 1))
            {
                var directory = file.Path[..(slash + 1)];
                if (written.Add(directory))
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = DirectoryMode, ModificationTime = Made });
            }
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.Path)
            {
                Mode = file.Mode,
                ModificationTime = file.Modified,
                DataStream = new MemoryStream(file.Content, writable: false),
            });
        }
    }
}
