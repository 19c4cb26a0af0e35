namespace Factory.Executor;

/// <summary>
/// Marks a build as running on this host, for every executor process sharing the state directory:
/// &lt;state&gt;/locks/&lt;build id&gt;.lock opened with FileShare.None, which .NET holds as an exclusive flock(2). The
/// operating system releases it when the process dies, so a killed executor never leaves a build marked as running.
/// </summary>
public sealed class HostBuildLock : IDisposable
{
    private readonly FileStream _file;

    private HostBuildLock(FileStream file) => _file = file;

    public static string PathFor(string stateDirectory, Guid buildId) =>
        Path.Combine(Path.GetFullPath(stateDirectory), "locks", $"{buildId:N}.lock");

    /// <summary>The lock, or null when another delivery of the build holds it (in this process or another).</summary>
    public static HostBuildLock? TryAcquire(string stateDirectory, Guid buildId)
    {
        var path = PathFor(stateDirectory, buildId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new HostBuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes the file while still holding it (so a lock file is not left per build), then releases it. A delivery that
    /// opened the file just before may then lock the deleted file: it runs, which is what it would do a moment later anyway.
    /// </summary>
    public void Dispose()
    {
        try { File.Delete(_file.Name); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        _file.Dispose();
    }
}
