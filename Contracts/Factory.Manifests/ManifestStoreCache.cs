using System.Security.Cryptography;
using System.Text;

namespace Factory.Manifests;

/// <summary>
/// The manifest store of one directory, loaded once and loaded again only when what the loader reads changed
/// (store.yaml, templates/, tests/, modules/; not plans/ or schema/). A FileSystemWatcher marks the cache stale
/// as soon as it hears of a change; because a watcher can miss events (an overflowing queue, file systems without
/// notifications), a fingerprint of every path, size and modification time is also compared, at most once per
/// <c>checkInterval</c>. An invalid store is cached too: its errors are thrown again until its files change.
/// Concurrent callers wait for one load rather than each loading.
/// </summary>
public sealed class ManifestStoreCache : IDisposable
{
    private const int MaxAttempts = 3;
    private static readonly string[] ContentFolders = ["templates", "tests", "modules"];

    private readonly object _gate = new();
    private readonly string _root;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _checkInterval;
    private readonly bool _watch;
    private FileSystemWatcher? _watcher;
    private int _changes;
    private long _checkedAt;
    private (ManifestStore? Store, IReadOnlyList<InputError> Errors, int Changes, string Fingerprint)? _snapshot;

    /// <param name="root">The manifest store directory.</param>
    /// <param name="clock">Decides when the fingerprint is due.</param>
    /// <param name="checkInterval">How long a fingerprint stays trusted; zero compares it on every call.</param>
    /// <param name="watch">Whether to listen for file system events as well (off only to test the fingerprint alone).</param>
    public ManifestStoreCache(string root, TimeProvider clock, TimeSpan checkInterval, bool watch = true)
    {
        _root = Path.GetFullPath(root);
        _clock = clock;
        _checkInterval = checkInterval;
        _watch = watch;
    }

    public ManifestStoreCache(string root) : this(root, TimeProvider.System, TimeSpan.FromSeconds(1)) { }

    /// <summary>How many times the store was read from disk (for tests and diagnostics).</summary>
    public int Loads { get; private set; }

    /// <summary>Runs at the start of every load attempt, after the fingerprint was taken: lets a test change a file mid-load.</summary>
    internal Action? LoadStarting { get; set; }

    /// <summary>The store as its files are now; an InvalidInputException with its errors when they are not valid.</summary>
    public ManifestStore Get()
    {
        lock (_gate)
        {
            if (_snapshot is not { } snapshot || IsStale(snapshot.Changes, snapshot.Fingerprint)) snapshot = (_snapshot = Load()).Value;
            return snapshot.Store ?? throw new InvalidInputException(snapshot.Errors);
        }
    }

    private bool IsStale(int changes, string fingerprint)
    {
        if (Volatile.Read(ref _changes) != changes) return true;
        if (_clock.GetElapsedTime(_checkedAt) < _checkInterval) return false;
        return Fingerprint() != fingerprint;
    }

    private (ManifestStore?, IReadOnlyList<InputError>, int, string) Load()
    {
        Watch();
        for (var attempt = 1; ; attempt++)
        {
            var changes = Volatile.Read(ref _changes);
            var fingerprint = Fingerprint();
            LoadStarting?.Invoke();
            Loads++;
            ManifestStore? store = null;
            IReadOnlyList<InputError> errors = [];
            try { store = ManifestStoreLoader.Load(_root); }
            catch (InvalidInputException ex) { errors = ex.Errors; }
            catch (IOException) when (attempt < MaxAttempts) { continue; } // a file went away while it was read
            // A change that landed while loading may have been read in part: load again. If the store keeps
            // changing, keep what was read; it carries the fingerprint from before, so the next call loads again.
            if (attempt == MaxAttempts || (Volatile.Read(ref _changes) == changes && Fingerprint() == fingerprint))
                return (store, errors, changes, fingerprint);
        }
    }

    /// <summary>sha256 over "path\0size\0mtime\n" of every directory and file the loader reads, in ordinal order.</summary>
    private string Fingerprint()
    {
        _checkedAt = _clock.GetTimestamp();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var root = new DirectoryInfo(_root);
        if (!root.Exists) return "missing";
        var entries = FileTree.Entries(root, ignoreInaccessible: true)
            .Select(e => (Info: e, Relative: Path.GetRelativePath(_root, e.FullName).Replace('\\', '/')))
            .Where(e => IsStoreContent(e.Relative))
            .OrderBy(e => e.Relative, StringComparer.Ordinal);
        foreach (var (info, relative) in entries)
        {
            var size = info is FileInfo file ? file.Length : -1;
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{size}\0{info.LastWriteTimeUtc.Ticks}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool IsStoreContent(string relative) =>
        relative == "store.yaml" || ContentFolders.Any(folder => relative == folder || relative.StartsWith(folder + "/", StringComparison.Ordinal));

    private void Watch()
    {
        if (!_watch || _watcher is not null || !Directory.Exists(_root)) return;
        var watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, e) => Changed(e.FullPath);
        watcher.Created += (_, e) => Changed(e.FullPath);
        watcher.Deleted += (_, e) => Changed(e.FullPath);
        watcher.Renamed += (_, e) => { Changed(e.OldFullPath); Changed(e.FullPath); };
        // Events were lost: anything may have changed.
        watcher.Error += (_, _) => Interlocked.Increment(ref _changes);
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    private void Changed(string path)
    {
        if (IsStoreContent(Path.GetRelativePath(_root, path).Replace('\\', '/'))) Interlocked.Increment(ref _changes);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }
}
