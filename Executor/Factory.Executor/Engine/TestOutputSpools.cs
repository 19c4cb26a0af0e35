using System.IO.Compression;
using System.Text;

namespace Factory.Executor.Engine;

/// <summary>
/// Where one test's whole output goes while it runs: stdout and stderr each to a gzip file of their own in
/// <c>directory</c>, at most <c>maxBytes</c> of the two together (then cut, the tail kept, see <see cref="OutputSpool"/>).
/// <see cref="Compose"/> joins them, between the log's header and result lines, into one gzip file: concatenated gzip
/// members are one valid gzip stream, so the spooled output is copied as it is, never decompressed or held. Nothing is
/// written to disk for a test whose output stays small (<see cref="OutputSpool.SpillBytes"/>) unless it is composed.
/// </summary>
public sealed class TestOutputSpools : IDisposable
{
    public TestOutputSpools(string directory, string name, long maxBytes, int tailBytes)
    {
        var budget = new OutputBudget(maxBytes);
        var stem = Path.Combine(directory, name);
        Stdout = new OutputSpool(stem + ".stdout.gz", budget, tailBytes);
        Stderr = new OutputSpool(stem + ".stderr.gz", budget, tailBytes);
        FullLogPath = stem + ".log.gz";
    }

    public OutputSpool Stdout { get; }
    public OutputSpool Stderr { get; }
    /// <summary>Where <see cref="Compose"/> writes the full log.</summary>
    public string FullLogPath { get; }

    /// <summary>
    /// Writes the full log: <paramref name="header"/>, "--- stdout ---", stdout, "--- stderr ---", stderr, then
    /// <paramref name="footer"/> (which starts with "--- result ---"). Returns its path. The stream files are removed.
    /// </summary>
    public string Compose(string header, string footer)
    {
        Stdout.Complete();
        Stderr.Complete();
        using (var log = new FileStream(FullLogPath, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            Member(log, header + "--- stdout ---\n");
            Append(log, Stdout);
            Member(log, (EndsWithNewline(Stdout) ? "" : "\n") + "--- stderr ---\n");
            Append(log, Stderr);
            Member(log, (EndsWithNewline(Stderr) ? "" : "\n") + footer);
        }
        Dispose();
        return FullLogPath;
    }

    private static void Member(Stream log, string text)
    {
        using var gzip = new GZipStream(log, CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }

    private static void Append(Stream log, OutputSpool spool)
    {
        using var file = File.OpenRead(spool.Path);
        file.CopyTo(log);
    }

    private static bool EndsWithNewline(OutputSpool spool) => spool.TotalBytes == 0 || spool.EndsWithNewline;

    /// <summary>Closes and removes the stream files (the full log, once composed, stays: it is evidence to store).</summary>
    public void Dispose()
    {
        Stdout.Discard();
        Stderr.Discard();
    }
}
