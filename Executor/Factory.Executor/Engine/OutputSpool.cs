using System.IO.Compression;
using System.Text;

namespace Factory.Executor.Engine;

/// <summary>
/// One stream of a test's output written to a gzip file on disk as it arrives, so that the whole of it can be stored as
/// evidence without being held in memory. What the <see cref="OutputBudget"/> does not cover is dropped; of that,
/// only the last <c>tailBytes</c> are kept (in memory), and <see cref="Complete"/> writes a marker line saying how many
/// bytes were cut, then that tail: the end of the output, where the error is, is always in the file. Not thread-safe.
/// </summary>
public sealed class OutputSpool : IDisposable
{
    private readonly OutputBudget _budget;
    private readonly int _tailBytes;
    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private OutputCapture? _overflow;
    private byte _last = (byte)'\n';
    private bool _completed;
    private bool _tailEndsLine;

    public OutputSpool(string path, OutputBudget budget, int tailBytes)
    {
        Path = path;
        _budget = budget;
        _tailBytes = tailBytes;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
        _gzip = new GZipStream(_file, CompressionLevel.Fastest);
    }

    /// <summary>The gzip file (one gzip member), complete once <see cref="Complete"/> returned.</summary>
    public string Path { get; }
    /// <summary>Every byte written, kept or not.</summary>
    public long TotalBytes { get; private set; }
    /// <summary>Whether the file ends a line (or is empty), once completed.</summary>
    public bool EndsWithNewline => _overflow is null ? _last == (byte)'\n' : _tailEndsLine;
    /// <summary>Bytes left out of the file, the marker line aside (known once completed).</summary>
    public long CutBytes { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var kept = _overflow is null ? _budget.Take(data.Length) : 0;
        if (kept > 0)
        {
            _gzip.Write(data[..kept]);
            _last = data[kept - 1];
        }
        if (kept == data.Length) return;
        _overflow ??= new OutputCapture(new OutputLimits(0, _tailBytes));
        _overflow.Write(data[kept..]);
    }

    /// <summary>Ends the file: the marker and the kept tail when something was cut. Idempotent.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        if (_overflow is not null)
        {
            CutBytes = _overflow.CutBytes;
            if (CutBytes > 0 && _last != (byte)'\n') _gzip.Write("\n"u8);
            var tail = _overflow.Text();
            _gzip.Write(Encoding.UTF8.GetBytes(tail));
            _tailEndsLine = tail.Length == 0 ? CutBytes == 0 && _last == (byte)'\n' : tail[^1] == '\n';
        }
        _gzip.Dispose();
    }

    public void Dispose()
    {
        _gzip.Dispose();
        _file.Dispose();
    }
}
