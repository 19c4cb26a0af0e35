using System.Diagnostics;
using System.Globalization;

namespace Factory.Executor.Engine;

/// <summary>
/// One build at a time on this host, for engines whose BuildKit cannot export inline cache from two builds at once.
/// Docker 20.10 carries BuildKit 0.8: when two builds that share a step (the same base, say) export their inline cache
/// together, its cache exporter writes the same items from both, and dockerd dies with "fatal error: concurrent map
/// writes" or "concurrent map iteration and map write" in cache/remotecache/v1, and every build in flight fails with it
/// (twice in one day of clean-clone CI runs on the development machine, Debian's 20.10.24). BuildKit locked those
/// writes in March 2021 (moby/buildkit#2051), after the 0.8 line; Docker 23 came two years later and is taken to carry it.
/// Every Factory build exports inline cache, so on an older engine each build holds the gate from start to end.
/// The gate is an exclusive flock(2) on &lt;directory&gt;/factory-buildkit.lock (Executor:BuildGateDirectory, /run/lock by
/// default), which every process on the host that builds takes: the executors, the embedded run, prewarm, and
/// deploy/images/build.sh (with flock(1)). Containers mount the host's directory (compose and Kubernetes do). The kernel
/// drops the lock when its holder dies, so a killed build never wedges the gate.
/// </summary>
public sealed class EngineBuildGate(string directory)
{
    public const string FileName = "factory-buildkit.lock";
    /// <summary>The first Docker release whose BuildKit has that lock.</summary>
    public const int FirstSafeMajor = 23;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>
    /// Makes the directory when there is none, open to every user with the sticky bit as /run/lock is, so that a builder
    /// running as another user (the executor image's factory) can make or open the lock file there too.
    /// </summary>
    private void MakeDirectory()
    {
        if (Directory.Exists(directory)) return;
        Directory.CreateDirectory(directory);
        if (OperatingSystem.IsWindows()) return;
        try
        {
            File.SetUnixFileMode(directory, UnixFileMode.StickyBit | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's builder made it at the same moment: theirs is the mode it has.
        }
    }

    /// <summary>Whether builds must take the gate, given the mode and the engine's version as it reports it ("20.10.24+dfsg1").</summary>
    public static bool Needed(BuildGateMode mode, string engineVersion) => mode switch
    {
        BuildGateMode.Always => true,
        BuildGateMode.Never => false,
        // A version that does not parse is taken for an old one: the gate costs only parallelism, the crash costs everything.
        _ => !int.TryParse(engineVersion.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || major < FirstSafeMajor,
    };

    /// <summary>
    /// Waits for the gate and holds it until the pass is disposed. When the gate cannot be opened at all (no such directory
    /// and none can be made, or no permission), the build goes on without it: the pass says why, for the build log.
    /// </summary>
    public async Task<BuildGatePass> EnterAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var poll = FirstPoll;
        while (true)
        {
            try
            {
                MakeDirectory();
                // Read access is enough for an exclusive flock, so a lock file another user created can still be taken.
                var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
                return new BuildGatePass(file, Stopwatch.GetElapsedTime(started), null);
            }
            catch (IOException) when (File.Exists(Path))
            {
                // Held by another build, in this process or another.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new BuildGatePass(null, Stopwatch.GetElapsedTime(started), $"the build gate {Path} could not be opened ({e.Message}): built without it");
            }
            await Task.Delay(poll, ct);
            poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
        }
    }
}
